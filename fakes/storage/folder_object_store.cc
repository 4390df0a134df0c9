// MakeFolderObjectStore: buckets as folders, objects as files, written by temp file and rename.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "fakes/storage/object_listing.h"
#include "fakes/storage/object_store.h"
#include "sim/core/ids.h"

namespace meshsim::fakes {
namespace {

namespace fs = std::filesystem;

// Temporary files start with it; listings skip them and no key may name one.
constexpr std::string_view kTempPrefix = ".meshsim-tmp-";
// Shared by every store in the process, so two on one folder never pick the same temporary name.
std::atomic<uint64_t> next_temp{0};

Status NoSuchBucket(const std::string& bucket) {
  return Status(Code::kNoSuchBucket, "The specified bucket does not exist: " + bucket);
}
Status NoSuchKey(const std::string& key) {
  return Status(Code::kNoSuchKey, "The specified key does not exist: " + key);
}
Status DiskError(const std::string& what, const std::error_code& ec) {
  return Status(Code::kInternal, what + ": " + ec.message());
}
Status Unstorable(const std::string& key, const char* why) {
  return Status(Code::kInvalidArgument, "Key " + key + " cannot be stored in a folder: " + why);
}

// Each segment of `key` (split at '/') must name a file or folder of its own.
Status CheckPathKey(const std::string& key) {
  if (Status s = CheckObjectKey(key); !s.ok()) return s;
  if (key.find('\0') != std::string::npos) return Unstorable(key, "it holds a NUL");
  size_t start = 0;
  for (;;) {
    const size_t end = std::min(key.find('/', start), key.size());
    std::string_view segment(key.data() + start, end - start);
    if (segment.empty()) return Unstorable(key, "an empty segment");
    if (segment == "." || segment == "..") return Unstorable(key, "a '.' or '..' segment");
    if (segment.starts_with(kTempPrefix)) return Unstorable(key, "a reserved name");
    // S3 takes 1,024 bytes a key in any split; a file name takes NAME_MAX (255) bytes.
    if (segment.size() > 255) return Unstorable(key, "a segment longer than 255 bytes");
    if (end == key.size()) return Status::Ok();
    start = end + 1;
  }
}

// A file's whole body; InternalError when it cannot be opened or read to its end (a failed
// open sets failbit, not badbit, so both are checked).
Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status(Code::kInternal, "Cannot open " + path.string());
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status(Code::kInternal, "Cannot read " + path.string());
  return body;
}

class FolderObjectStore final : public ObjectStore {
 public:
  explicit FolderObjectStore(fs::path root) : root_(std::move(root)) {}

  Status CreateBucket(const std::string& bucket) override {
    if (Status s = CheckBucketName(bucket); !s.ok()) return s;
    std::error_code ec;
    const fs::path dir = root_ / bucket;
    if (fs::is_symlink(fs::symlink_status(dir, ec))) return Escapes(bucket);
    if (!fs::create_directory(dir, ec)) {
      if (ec) return DiskError("Cannot create bucket " + bucket, ec);
      return Status(Code::kBucketAlreadyOwnedByYou, "You already own bucket " + bucket);
    }
    return Status::Ok();
  }
  Status HeadBucket(const std::string& bucket) const override { return BucketDir(bucket).status(); }
  Result<std::vector<std::string>> ListBuckets() const override {
    std::vector<std::string> names;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(root_, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory(ec) && !entry.is_symlink(ec) && CheckBucketName(name).ok()) {
        names.push_back(name);
      }
    }
    if (ec) return DiskError("Cannot list buckets", ec);
    std::sort(names.begin(), names.end());
    return names;
  }
  Status DeleteBucket(const std::string& bucket) override {
    Result<fs::path> dir = BucketDir(bucket);
    if (!dir.ok()) return dir.status();
    Result<std::vector<ObjectInfo>> objects = Objects(*dir, "");
    if (!objects.ok()) return objects.status();
    if (!objects->empty()) {
      return Status(Code::kBucketNotEmpty,
                    "The bucket you tried to delete is not empty: " + bucket);
    }
    std::error_code ec;
    fs::remove_all(*dir, ec);  // empty folders and stray temporary files
    if (ec) return DiskError("Cannot delete bucket " + bucket, ec);
    return Status::Ok();
  }

  Result<ObjectInfo> PutObject(const std::string& bucket, const std::string& key,
                               std::string_view body) override {
    Result<fs::path> path = ObjectPath(bucket, key);
    if (!path.ok()) return path.status();
    std::error_code ec;
    const fs::path folder = path->parent_path();
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(fs::symlink_status(folder, ec))) {
      return Unstorable(key, "one of its folders is another key's object");
    }
    if (fs::is_directory(fs::symlink_status(*path, ec))) {
      return Unstorable(key, "it is a folder of other keys");
    }
    // Same folder, so the rename is atomic (POSIX rename(2)) and never crosses a file system.
    std::string temp_name(kTempPrefix);
    temp_name += NumberedId("", next_temp.fetch_add(1));
    const fs::path temp = folder / temp_name;
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out.write(body.data(), static_cast<std::streamsize>(body.size()));
      out.close();
      if (!out) {
        fs::remove(temp, ec);
        return Status(Code::kInternal, "Cannot write " + temp.string());
      }
    }
    fs::rename(temp, *path, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return DiskError("Cannot store " + key, ec);
    }
    return ObjectInfo{key, static_cast<int64_t>(body.size()), ObjectETag(body)};
  }
  Result<std::string> GetObject(const std::string& bucket, const std::string& key) const override {
    Result<fs::path> path = ObjectPath(bucket, key);
    if (!path.ok()) return path.status();
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(*path, ec))) return NoSuchKey(key);
    return ReadFile(*path);
  }
  Result<ObjectInfo> HeadObject(const std::string& bucket, const std::string& key) const override {
    Result<std::string> body = GetObject(bucket, key);
    if (!body.ok()) return body.status();
    return ObjectInfo{key, static_cast<int64_t>(body->size()), ObjectETag(*body)};
  }
  Result<ListObjectsResult> ListObjectsV2(const ListObjectsRequest& request) const override {
    Result<fs::path> dir = BucketDir(request.bucket);
    if (!dir.ok()) return dir.status();
    Result<std::vector<ObjectInfo>> objects = Objects(*dir, request.prefix);
    if (!objects.ok()) return objects.status();
    return ListPage(request, *objects);
  }
  Status DeleteObject(const std::string& bucket, const std::string& key) override {
    Result<fs::path> path = ObjectPath(bucket, key);
    if (!path.ok()) return path.status();
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(*path, ec))) return Status::Ok();
    fs::remove(*path, ec);
    if (ec) return DiskError("Cannot delete " + key, ec);
    // Folders left empty go too, so a later key may be a file where they were.
    const fs::path top = root_ / bucket;
    for (fs::path folder = path->parent_path(); folder != top; folder = folder.parent_path()) {
      if (!fs::is_empty(folder, ec) || ec || !fs::remove(folder, ec)) break;
    }
    return Status::Ok();
  }

 private:
  static Status Escapes(const std::string& what) {
    return Status(Code::kAccessDenied, "The path to " + what + " passes through a symbolic link");
  }

  Result<fs::path> BucketDir(const std::string& bucket) const {
    if (!CheckBucketName(bucket).ok()) return NoSuchBucket(bucket);
    const fs::path dir = root_ / bucket;
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(dir, ec);
    if (fs::is_symlink(status)) return Escapes(bucket);
    if (!fs::is_directory(status)) return NoSuchBucket(bucket);
    return dir;
  }

  // The object's file, once no folder on the way to it (nor the file) is a link.
  Result<fs::path> ObjectPath(const std::string& bucket, const std::string& key) const {
    Result<fs::path> dir = BucketDir(bucket);
    if (!dir.ok()) return dir.status();
    if (Status s = CheckPathKey(key); !s.ok()) return s;
    fs::path path = *dir;
    bool exists = true;  // once a segment is missing, nothing further down exists either
    for (const fs::path& segment : fs::path(key)) {
      path /= segment;
      if (!exists) continue;
      std::error_code ec;
      const fs::file_status status = fs::symlink_status(path, ec);
      if (fs::is_symlink(status)) return Escapes(key);
      exists = fs::exists(status);
    }
    return path;
  }

  // Every object under `dir` whose key starts with `prefix`, sorted by key.
  static Result<std::vector<ObjectInfo>> Objects(const fs::path& dir, const std::string& prefix) {
    std::vector<ObjectInfo> objects;
    std::error_code ec;
    // The iterator does not follow links to folders; links to files are skipped below.
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const fs::file_status status = it->symlink_status(ec);
      if (ec) break;
      if (!fs::is_regular_file(status)) continue;
      if (it->path().filename().string().starts_with(kTempPrefix)) continue;
      std::string key = it->path().lexically_relative(dir).generic_string();
      if (!key.starts_with(prefix)) continue;
      const auto size = static_cast<int64_t>(it->file_size(ec));
      if (ec) break;
      // The ETag needs the body; listings of the few-object buckets here can afford the read.
      Result<std::string> body = ReadFile(it->path());
      if (!body.ok()) return body.status();
      objects.push_back(ObjectInfo{std::move(key), size, ObjectETag(*body)});
    }
    if (ec) return DiskError("Cannot list " + dir.string(), ec);
    std::sort(objects.begin(), objects.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return objects;
  }

  fs::path root_;
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> MakeFolderObjectStore(const std::string& root_dir) {
  std::error_code ec;
  fs::create_directories(root_dir, ec);
  if (ec) return DiskError("Cannot create object store folder " + root_dir, ec);
  fs::path root = fs::canonical(root_dir, ec);
  if (ec) return DiskError("Cannot open object store folder " + root_dir, ec);
  return std::unique_ptr<ObjectStore>(std::make_unique<FolderObjectStore>(std::move(root)));
}

}  // namespace meshsim::fakes
