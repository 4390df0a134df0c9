// `meshsim eval --interactions FILE.csv [--items FILE.csv] [--users FILE.csv] --recipe NAME
// [--split personalize|stratified:RATIO|chronological:RATIO] [--k K] [--seed N] [--json]`:
// trains a recipe on one part of a data set in Personalize's CSV layout and scores it on the rest
// (fakes/personalize/evaluation.h), offline, without a scenario: the numbers GetSolutionMetrics
// would give, or Microsoft Recommenders' for the same split, to compare recipes on a team's data.
#pragma once

#include "apps/cli/cli.h"

namespace meshsim {

// Declares eval's flags on `app`. Exit 0 with the metrics printed (a table, or with --json one
// object: recipe, split, k, users_evaluated, metrics); 2 on bad input: a flag, a file that cannot
// be read, a data error
// ("FILE:LINE:COL: message"), an unknown recipe, a split that holds nothing out; 1 when training
// fails otherwise.
ToolAction DefineEval(CLI::App& app);

}  // namespace meshsim
