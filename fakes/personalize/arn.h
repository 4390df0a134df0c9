// Personalize's names and ARNs: the one place that knows their AWS form, so every call validates
// and builds them the same way (botocore model personalize/2018-05-22: Name is 1-63 characters of
// ^[a-zA-Z0-9][a-zA-Z0-9\-_]*, Arn at most 256 characters of arn:([a-z\d-]+):personalize:.*:.*:.+).
#pragma once

#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace meshsim::fakes::personalize {

// InvalidInputException naming `member` when `name` breaks the Name constraints.
Status ValidateName(std::string_view member, std::string_view name);

// InvalidInputException naming `member` when `arn` is empty or breaks the Arn constraints.
Status ValidateArn(std::string_view member, std::string_view arn);

// "arn:aws:personalize:REGION:ACCOUNT:KIND/PATH", e.g. KIND "campaign", PATH "my-campaign".
std::string MakeArn(std::string_view region, std::string_view account, std::string_view kind,
                    std::string_view path);

// Recipes are global: "arn:aws:personalize:::recipe/NAME".
std::string RecipeArn(std::string_view recipe_name);

}  // namespace meshsim::fakes::personalize
