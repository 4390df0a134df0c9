// DeliveryLedger and ApplyOrderCheck: a record delivered again is counted and settled once, and a
// key's records applied out of offset order are caught.
#include "sim/domains/delivery_ledger.h"

#include <catch2/catch.hpp>
#include <string>

namespace meshsim {
namespace {

KafkaBatch BatchOf(int32_t partition, int64_t first, int64_t last) {
  KafkaBatch batch;
  batch.tp.partition = partition;
  for (int64_t offset = first; offset <= last; ++offset) {
    ConsumedRecord r;
    r.tp.partition = partition;
    r.offset = offset;
    batch.records.push_back(std::move(r));
  }
  return batch;
}

TEST_CASE("delivery ledger: a redelivered record counts once", "[domains]") {
  DeliveryLedger ledger;
  CHECK(ledger.Deliver(BatchOf(0, 0, 4)) == 5);
  CHECK(ledger.Deliver(BatchOf(0, 3, 7)) == 3);  // 3 and 4 again
  CHECK(ledger.Deliver(BatchOf(1, 0, 1)) == 2);  // another partition counts apart
}

TEST_CASE("delivery ledger: settled once, through a committed batch", "[domains]") {
  DeliveryLedger ledger;
  CHECK_FALSE(ledger.Finished(0, 5));
  CHECK(ledger.Finish(0, 5));
  CHECK_FALSE(ledger.Finish(0, 5));
  CHECK(ledger.Finished(0, 5));
  CHECK(ledger.Finish(0, 2));  // below every flagged offset
  CHECK_FALSE(ledger.Finished(0, 3));
  ledger.FinishThrough(BatchOf(0, 0, 9));
  CHECK(ledger.Finished(0, 3));
  CHECK_FALSE(ledger.Finish(0, 9));
  CHECK_FALSE(ledger.Finished(0, 10));
  CHECK(ledger.Finish(0, 10));
  CHECK_FALSE(ledger.Finished(1, 3));
}

TEST_CASE("apply order check: a key's records in offset order", "[domains]") {
  ApplyOrderCheck order;
  ConsumedRecord r;
  r.key = "u1";
  r.offset = 4;
  CHECK(order.Applied(0, r));
  r.offset = 2;
  CHECK_FALSE(order.Applied(0, r));  // behind offset 4 of the same key
  CHECK(order.Applied(1, r));        // another partition
  r.key = "u2";
  CHECK(order.Applied(0, r));
  r.key.reset();
  r.offset = 0;
  CHECK(order.Applied(0, r));       // no key: nothing to order
  for (int i = 0; i < 1000; ++i) {  // past a few growths of the table
    r.key = std::string("k").append(std::to_string(i));
    r.offset = 10;
    CHECK(order.Applied(0, r));
  }
  r.key = "u1";
  r.offset = 3;
  CHECK_FALSE(order.Applied(0, r));
}

}  // namespace
}  // namespace meshsim
