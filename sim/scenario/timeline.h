// Timeline actions as data. The scenario loader reads each action's parameters from the file into
// one of the structs below; the mesh interprets them at their time (Mesh::Apply). The registry of
// names, summaries and readers is TimelineActions(): a new action is one struct here, one entry in
// timeline.cc and one case in the mesh.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/records.h"
#include "sim/ports/stream_faults.h"
#include "sim/scenario/rate_curve.h"
#include "sim/text/json_reader.h"

namespace meshsim {

struct Scenario;

// Which items retire_items takes out of a genre.
enum class RetirePick { kMostPopular, kLeastPopular, kRandom };

namespace action {

struct PublishItems {
  ItemType type = ItemType::kSong;
  int64_t count = 0;
  std::string genre;  // "" for any
  double popularity_rank = 0;  // where in the genre's ranking they enter: 0 = most popular
};
struct SetRate {
  double events_per_second = 0;
};
struct SetCurve {
  RateCurve curve;
};
struct RetireItemIds {
  std::vector<std::string> item_ids;
};
struct RetireItems {
  ItemType type = ItemType::kSong;
  int64_t count = 0;
  std::string genre;
  RetirePick pick = RetirePick::kRandom;
};
struct PauseDomain {
  std::string domain;
  bool paused = true;  // false: resume
};
struct StopConsumer {
  std::string function;
};
struct RestartConsumer {
  std::string function;
};
struct BrokerDown {
  int64_t for_us = 0;
};
struct BrokerErrors {
  StreamApi api = StreamApi::kProduce;
  std::vector<Code> codes;
};
struct BrokerLatency {
  int64_t latency_us = 0;
};
struct LeaderChange {
  std::string topic;
  int32_t partition = 0;
};
struct PoisonRecord {
  std::string domain;
  int64_t count = 1;
};
struct PublishRecord {
  std::string domain;
  nlohmann::json record;
  int64_t count = 1;
};
struct EvolveSchema {
  std::string domain;
  std::string definition;  // Avro, as text
  nlohmann::json values;   // values for the new fields of generated records
};
struct RevokeAccess {
  std::string consumer;
  std::string domain;
};
struct ReadProduct {
  std::string consumer;
  std::string domain;
};
struct RunEtl {
  std::string domain;  // or "all"
};
struct DeployRecommender {
  bool from_products = false;  // false: from the events put so far
};
struct DuplicateDelivery {
  std::string function;
  int64_t batches = 1;
};
struct SlowConsumer {
  std::string function;
  int64_t extra_us = 0;
  int64_t for_us = 0;
};

}  // namespace action

using ActionParams =
    std::variant<action::PublishItems, action::SetRate, action::SetCurve, action::RetireItemIds,
                 action::RetireItems, action::PauseDomain, action::StopConsumer,
                 action::RestartConsumer, action::BrokerDown, action::BrokerErrors,
                 action::BrokerLatency, action::LeaderChange, action::PoisonRecord,
                 action::PublishRecord, action::EvolveSchema, action::RevokeAccess,
                 action::ReadProduct, action::RunEtl, action::DeployRecommender,
                 action::DuplicateDelivery, action::SlowConsumer>;

// One timeline entry: at `at_us`, the mesh applies `params`. `describe` is for the report.
struct TimelineAction {
  int64_t at_us = 0;
  std::string action;
  std::string describe;
  ActionParams params;
};

struct ActionSpec {
  const char* name;
  const char* summary;
  // Reads the action's own fields (everything but "at_s" and "action") and sets `describe`.
  std::function<ActionParams(ObjectReader&, const Scenario&, std::string* describe)> parse;
};

const std::vector<ActionSpec>& TimelineActions();

}  // namespace meshsim
