// The terminal summary of a report (FormatSummary), and one expectation's result as text.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "sim/ports/topics.h"
#include "sim/report/report.h"
#include "sim/report/text_table.h"
#include "sim/report/verdict.h"

namespace meshsim {
namespace {

using Json = nlohmann::ordered_json;

template <typename... T>
void Append(std::string& out, fmt::format_string<T...> format, T&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<T>(args)...);
}

std::string Count(const Json& n) { return fmt::to_string(n.get<uint64_t>()); }

// Milliseconds, from the report's microseconds.
std::string Ms(const Json& us) {
  return fmt::format("{:.1f}", static_cast<double>(us.get<int64_t>()) / 1000.0);
}

// Microseconds, from the report's nanoseconds.
std::string Us(const Json& ns) { return fmt::format("{:.2f}", ns.get<double>() / 1e3); }

const std::string& Str(const Json& s) { return s.get_ref<const std::string&>(); }

// ---- Sections, in the order they print. Their fractional figures are written "{:.6g}", as an
// ostream writes a double: the summary was written through one, and people's scripts read it.

std::string Headline(const Json& r) {
  return fmt::format("scenario {}  seed {}  clock {}  simulated {:.1f} s in {:.3f} s wall\n\n",
                     Str(r["scenario"]), r["seed"].get<uint64_t>(), Str(r["clock"]),
                     r["sim_seconds"].get<double>(), r["wall_seconds"].get<double>());
}

std::string CountsTable(const Json& r) {
  TextTable table({14, 10, 11, 10, 10, 7});
  table.AddRow({"topic", "produced", "delivered", "applied", "rejected", "lost"});
  auto row = [&table](const std::string& name, const Json& c) {
    table.AddRow({name, Count(c["produced"]), Count(c["delivered"]), Count(c["applied"]),
                  Count(c["rejected"]), Count(c["lost"])});
  };
  for (const auto& [topic, c] : r["counts"]["by_topic"].items()) row(topic, c);
  row("total", r["counts"]);
  return table.text() + "\n";
}

std::string LatencyTable(const Json& r) {
  TextTable table({26, 9, 9, 9, 9, 9, 9});
  table.AddRow({"latency (ms)", "count", "p50", "p90", "p99", "p99.9", "max"});
  auto row = [&table](const std::string& name, const Json& h) {
    table.AddRow({name, Count(h["count"]), Ms(h["p50_us"]), Ms(h["p90_us"]), Ms(h["p99_us"]),
                  Ms(h["p999_us"]), Ms(h["max_us"])});
  };
  const Json& latency = r["latency"];
  row("event -> recommendation", latency["event_to_recommendation"]);
  for (const auto& [hop, h] : latency["hops"].items()) row(fmt::format("  hop {}", hop), h);
  for (const auto& [topic, h] : latency["by_topic"].items()) {
    if (topic != kInteractionsTopic) row(fmt::format("  {} -> recommender", topic), h);
  }
  return table.text() + "\n";
}

// Measured on the wall clock: what meshsim itself costs, apart from the modelled times above.
std::string ComputeTable(const Json& r) {
  if (!r.contains("compute")) return "";
  const Json& compute = r["compute"];
  TextTable table({26, 9, 9, 9, 9, 9});
  table.AddRow({fmt::format("compute (us, wall, 1/{})", Count(compute["sample_every"])), "calls",
                "mean", "p50", "p99", "total s"});
  for (const auto& [stage, s] : compute["stages"].items()) {
    table.AddRow({fmt::format("  {}", stage), Count(s["calls"]), Us(s["mean_ns"]), Us(s["p50_ns"]),
                  Us(s["p99_ns"]), fmt::format("{:.3f}", s["estimated_total_s"].get<double>())});
  }
  return table.text() + "\n";
}

std::string AnalyticsLine(const Json& r) {
  const Json& a = r["analytics"];
  std::string out =
      fmt::format("analytics: {} events, peak {}/s, mean {:.6g}/s;", Count(a["consumed"]),
                  Count(a["peak_events_per_second"]), a["mean_events_per_second"].get<double>());
  for (const auto& [type, n] : a["by_event_type"].items()) Append(out, " {} {}", type, Count(n));
  return out + "\n";
}

std::string LastWindowLine(const Json& r) {
  const Json& windows = r["analytics"]["windows"];
  if (windows.empty()) return "";
  const Json& last = windows.back();
  std::string out =
      fmt::format("  top items of the window at {:.6g} s:", last["start_s"].get<double>());
  const Json& top = last["top_items"];
  for (size_t i = 0; i < std::min<size_t>(5, top.size()); ++i) {
    Append(out, " {} ({})", Str(top[i]["item_id"]), Count(top[i]["count"]));
  }
  return out + "\n";
}

std::string SampleRecommendationLines(const Json& r) {
  std::string out;
  for (const auto& sample : r["sample_recommendations"]) {
    Append(out, "  recommendations for {}:", Str(sample["user_id"]));
    for (const auto& item : sample["items"]) Append(out, " {}", Str(item["item_id"]));
    out += '\n';
  }
  return out;
}

std::string TimelineLine(const Json& r) {
  if (r["timeline"].empty()) return "";
  std::string out = "timeline:";
  for (const auto& t : r["timeline"]) {
    Append(out, " [{:.6g} s] {};", t["at_s"].get<double>(), Str(t["describe"]));
  }
  return out + "\n";
}

std::string StaticPlaneLines(const Json& r) {
  const Json& stores = r["stores"];
  if (stores["enabled"] != true) return "";
  const Json& etl = r["etl"];
  std::string out = fmt::format(
      "static plane: {} users, {} items, {} events landed in {} files; ETL {} runs, {} failed\n",
      Count(stores["users"]), Count(stores["items"]), Count(stores["events_landed"]),
      Count(stores["files_landed"]), Count(etl["runs"]), Count(etl["failed"]));
  for (const auto& job : etl["jobs"]) {
    Append(out, "  etl [{:.6g} s] {}", job["at_s"].get<double>(), Str(job["table"]));
    if (job["outcome"] == "published") {
      Append(out, ": {} rows\n", Count(job["rows"]));
    } else {
      Append(out, ": failed: {}\n", Str(job["reason"]));
    }
  }
  return out;
}

std::string DeployLines(const Json& r) {
  std::string out;
  for (const auto& d : r["recommender"]["deploys"]) {
    Append(out, "recommender deploy [{:.6g} s] from the {}: {}", d["at_s"].get<double>(),
           Str(d["source"]), Str(d["outcome"]));
    if (d["outcome"] == "deployed") {
      Append(out, ", serving from {:.6g} s ({} rows imported)", d["ready_s"].get<double>(),
             d["rows_imported"].get<int64_t>());
    } else if (d["outcome"] == "failed") {
      Append(out, ": {}", Str(d["reason"]));
    }
    out += '\n';
  }
  return out;
}

// The reads of data products that Lake Formation denied or that failed.
std::string UnansweredReadLines(const Json& r) {
  const Json& catalog = r["catalog"];
  if (catalog["governed"] != true) return "";
  std::string out;
  for (const auto& read : catalog["reads"]) {
    if (read["outcome"] == "allowed") continue;
    Append(out, "  read [{:.6g} s] {} {}: {}: {}\n", read["at_s"].get<double>(),
           Str(read["consumer"]), Str(read["product"]), Str(read["outcome"]), Str(read["reason"]));
  }
  return out;
}

std::string SchemaChangeLines(const Json& r) {
  std::string out;
  for (const auto& c : r["schemas"]["changes"]) {
    Append(out, "schema change [{:.6g} s] {}: ", c["at_s"].get<double>(), Str(c["domain"]));
    if (c["outcome"] == "registered") {
      Append(out, "version {} registered\n", c["version"].get<int64_t>());
    } else {
      Append(out, "refused: {}\n", Str(c["reason"]));
    }
  }
  return out;
}

// What the traffic asked for against what it made, with a warning where a reader of the figures
// would be misled: a real-clock run whose host could not keep up (its latencies are of a lighter
// load), and a replay whose rows fall past the run's end (once dropped without a word).
std::string TrafficLines(const Json& r) {
  if (!r.contains("workload")) return "";
  const Json& w = r["workload"];
  std::string out;
  if (w.contains("replay")) {
    const Json& replay = w["replay"];
    Append(out, "replay: {} of {} data set interactions replayed", Count(replay["replayed"]),
           Count(replay["rows"]));
    if (replay["skipped_paused"].get<uint64_t>() > 0) {
      Append(out, ", {} skipped while paused", Count(replay["skipped_paused"]));
    }
    out += '\n';
    if (replay["past_end"].get<uint64_t>() > 0) {
      Append(out,
             "warning: {} of the data set's interactions fall after the run's end (the first "
             "{:.6g} s into the replay) and were not replayed: lengthen duration_s, or look for "
             "an early TIMESTAMP that shifts the replay (times count from the earliest)\n",
             Count(replay["past_end"]), replay["first_past_end_s"].get<double>());
    }
    return out + "\n";
  }
  if (!w.contains("rate")) return "";
  const Json& rate = w["rate"];
  const double share = rate["achieved_share"].get<double>();
  Append(out, "traffic: {:.1f}/s produced of {:.1f}/s requested ({:.0f}%)\n",
         rate["achieved_per_s"].get<double>(), rate["requested_per_s"].get<double>(), share * 100);
  // Sessions warming up make less than the curve on any clock (scenarios/README.md); a host that
  // cannot keep up shows as arrivals behind their schedule, which only the real clock can be.
  const double behind = rate.value("behind_s", 0.0);
  const double ran = r.value("sim_seconds", 0.0);
  if (r.value("clock", "") == "real" && ran > 0 && behind > 0.1 * ran) {
    Append(out,
           "warning: the generator fell {:.1f} s behind its schedule on the real clock: this host "
           "could not keep up ({:.0f}% of the requested rate made), and the latencies are of a "
           "lighter load than asked\n",
           behind, share * 100);
  }
  return out + "\n";
}

std::string DeadLettersLine(const Json& r) {
  const Json& dead = r["dead_letters"];
  if (dead["count"].get<uint64_t>() == 0) return "";
  std::string out = fmt::format("dead letters: {}", Count(dead["count"]));
  for (const auto& [reason, n] : dead["by_reason"].items())
    Append(out, "  {} x{}", reason, Count(n));
  return out + "\n";
}

std::string ExpectationLines(const Json& r) {
  if (!r.contains("expectations") || r["expectations"].empty()) return "";
  const Json& expectations = r["expectations"];
  const auto passed = std::count_if(expectations.begin(), expectations.end(),
                                    [](const Json& x) { return x["passed"].get<bool>(); });
  std::string out = fmt::format("expectations: {} of {} passed\n", passed, expectations.size());
  for (const auto& x : expectations) {
    Append(out, "  {}{}\n", x["passed"].get<bool>() ? "pass  " : "FAIL  ", FormatResult(x));
  }
  return out;
}

// PASSED, or FAILED and why: a run that failed only on an invariant once said nothing more.
std::string Verdict(const Json& r) {
  if (r["passed"].get<bool>()) return "\nPASSED\n";
  std::string out = "\nFAILED\n";
  for (const std::string& reason : FailureReasons(r)) Append(out, "  {}\n", reason);
  return out;
}

}  // namespace

std::string FormatSummary(const Json& report) {
  using Section = std::string (*)(const Json&);
  static constexpr Section kSections[] = {
      Headline,          TrafficLines,     CountsTable,      LatencyTable,
      ComputeTable,      AnalyticsLine,    LastWindowLine,   SampleRecommendationLines,
      TimelineLine,      StaticPlaneLines, DeployLines,      UnansweredReadLines,
      SchemaChangeLines, DeadLettersLine,  ExpectationLines, Verdict};
  std::string out;
  for (Section section : kSections) out += section(report);
  return out;
}

std::string FormatObserved(const Json& observed, size_t max_chars) {
  if (observed.is_null()) return "nothing";
  std::string text = observed.is_string() ? observed.get<std::string>() : observed.dump();
  if (text.size() > max_chars) text = text.substr(0, max_chars > 3 ? max_chars - 3 : 0) + "...";
  return text;
}

std::string FormatResult(const Json& x) {
  const bool passed = x.value("passed", false);
  std::string out = x.value("name", "");
  if (!passed) {
    Append(out, ": observed {}", FormatObserved(x["observed"]));
    if (x.contains("observed_as")) Append(out, " ({})", x.value("observed_as", ""));
    Append(out, ", expected {}", x.value("expected", ""));
  }
  Append(out, " ({}", x.value("when", ""));
  if (!x["checked_at_s"].is_null()) {
    Append(out, "; checked at {:.6g} s", x["checked_at_s"].get<double>());
  }
  out += ')';
  if (!passed && !x.value("detail", "").empty()) Append(out, " - {}", x.value("detail", ""));
  return out;
}

}  // namespace meshsim
