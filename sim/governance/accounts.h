// The mesh's AWS accounts. A data mesh gives each domain an account of its own: a producer's
// databases and tables belong to its account (their Lake Formation CatalogId is its id) and a
// consumer is granted access across accounts. The governance account administers the data lake.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sim/ports/catalog.h"
#include "sim/ports/permissions.h"

namespace meshsim {

inline constexpr const char* kGovernanceAccount = "000000000000";

// The account of a domain (users, songs, podcasts, interactions, recommendations, analytics),
// and the domain of an account; empty for an unknown one.
std::string_view DomainAccount(std::string_view domain);
std::string_view AccountDomain(std::string_view account);

// Whether a Lake Formation resource exists in the catalog: a database owned by the account its
// CatalogId names, a table of one, and the columns of a table. OK, or EntityNotFoundException
// naming what is missing. For the permissions' find_resource; `catalog` must outlive the result.
std::function<Status(const Resource&)> CatalogResourceFinder(const Catalog& catalog);

}  // namespace meshsim
