// The object store behind the ObjectStore port: a folder on disk (the default, so a run leaves its
// buckets where a person or a tool can read them) or memory (for tests).
#pragma once

#include <memory>
#include <string>

#include "sim/ports/object_store.h"

namespace meshsim::fakes {

// Buckets are the folders of `root_dir` (made if missing) and an object is the file at
// `root_dir/bucket/key`, its key's '/'s as folders. PutObject writes a temporary file beside the
// object and renames it over, so a reader sees the old file or the new one, whole.
//
// A folder cannot hold every key S3 takes: InvalidArgument for a key with an empty, "." or ".."
// segment, a NUL, a segment starting ".meshsim-tmp-" (the temporary files), or one that would
// make a file of another key's folder or a folder of another key's file. Nothing reaches outside
// the root: AccessDenied when the path to an object passes through a symbolic link, and listings
// skip links. InternalFailure when the disk fails. Not for several threads at once.
Result<std::unique_ptr<ObjectStore>> MakeFolderObjectStore(const std::string& root_dir);

// Every key S3 takes; gone with the store. Not for several threads at once.
std::unique_ptr<ObjectStore> MakeMemoryObjectStore();

}  // namespace meshsim::fakes
