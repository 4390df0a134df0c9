// `meshsim catalog --state DIR list | describe DB[.TABLE] | search TEXT | grants [PRINCIPAL]`: a
// person's look at the catalog and the Lake Formation grants a run left in a state directory, as
// the data-lake administrator (the governance account) sees them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshsim {

// Exit 0 on success, 2 on bad input: an unknown subcommand, a missing --state, a directory
// holding no state, a missing database or table (with Glue's error).
int CatalogCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace meshsim
