// Personalize's name and ARN constraints as botocore states them (Name
// ^[a-zA-Z0-9][a-zA-Z0-9\-_]*, at most 63; Arn arn:([a-z\d-]+):personalize:.*:.*:.+, at most 256).
#include <catch2/catch.hpp>
#include <string>

#include "fakes/personalize/arn.h"

namespace meshsim::fakes::personalize {
namespace {

TEST_CASE("an ARN matches botocore's pattern or is refused naming the member") {
  for (const char* ok : {"arn:aws:personalize:us-east-1:000000000000:campaign/c",
                         "arn:aws-cn:personalize:::recipe/aws-sims", "arn:aws:personalize:a:b:c:d",
                         "arn:aws:personalize::x:y"}) {
    INFO(ok);
    CHECK(ValidateArn("campaignArn", ok).ok());
  }
  for (const char* bad :
       {"arn:aws:personalize:us-east-1:000000000000:",  // nothing after
        "arn:aws:personalize:us-east-1", "arn:AWS:personalize:::x", "arn::personalize:::x",
        "arn:aws:s3:::bucket", "campaign/c", "arn:aws:personalize:a:b\n:c"}) {
    INFO(bad);
    const Status s = ValidateArn("campaignArn", bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == Code::kInvalidInput);
    CHECK(s.message() ==
          "campaignArn must match the pattern arn:([a-z\\d-]+):personalize:.*:.*:.+");
  }
  CHECK(ValidateArn("campaignArn", "").message() == "campaignArn is required");
  CHECK(ValidateArn("campaignArn", "arn:aws:personalize:::" + std::string(250, 'x')).message() ==
        "campaignArn must be at most 256 characters");
}

TEST_CASE("a name matches botocore's pattern") {
  CHECK(ValidateName("name", "mesh-1_a").ok());
  CHECK(ValidateName("name", "-mesh").code() == Code::kInvalidInput);
  CHECK(ValidateName("name", "me sh").code() == Code::kInvalidInput);
  CHECK(ValidateName("name", std::string(64, 'a')).message() ==
        "name must be at most 63 characters");
}

}  // namespace
}  // namespace meshsim::fakes::personalize
