// The state store (solver/explicit/state_store.h) on its own: a table that grows by half keeps
// every state findable at every size, powers of two or not; parent links read back as written,
// from the temporary file or from memory, after truncate() and after the out-of-order writes of
// the search on several threads.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "solver/explicit/state_store.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kStateBytes = 6;  // not a multiple of 8: the masked tail is compared too

// State number k, packed, with the padding a reader may touch after it.
std::vector<uint8_t> packed(uint64_t k) {
  std::vector<uint8_t> p(kStateBytes + StateStore::kTailPadding, 0);
  std::memcpy(p.data(), &k, kStateBytes);
  return p;
}

uint32_t parent_of(uint64_t k) { return static_cast<uint32_t>(k * 2654435761u >> 3); }

// A folder on disk for the parent links' file (the build folder's: /tmp may be a tmpfs, where
// the links stay in memory by design).
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(INTERLOCK_TEST_SCRATCH) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// One step of growth: by half.
std::size_t by_half(std::size_t slots) { return std::min<std::size_t>(slots + slots / 2, StateStore::kMaxSlots); }

TEST(StateStore, GrowsByHalfAndFindsEveryStateAtEverySize) {
  // Below 2^20 slots the table grows by half three times over, then by half: at least half full
  // after a growth from there on (at least 2/9 before); never more than 3/4 full.
  StateStore store(kStateBytes);
  std::size_t slots = store.table_slots();
  EXPECT_EQ(slots, 1024u);
  int quick = 0, by_half_only = 0, not_powers_of_two = 0;
  const uint64_t n = 1600000;
  for (uint64_t k = 0; k < n; ++k) {
    const auto [index, inserted] = store.insert(packed(k).data(), parent_of(k));
    ASSERT_TRUE(inserted);
    ASSERT_EQ(index, k);
    ASSERT_EQ(store.table_slots(), StateStore::slots_for(k + 1)) << k;
    ASSERT_LE((k + 1) * 4, store.table_slots() * 3u) << "more than 3/4 full at " << k + 1;
    if (store.table_slots() == slots) continue;
    // Just grown; every state so far is found under its index.
    if (slots < StateStore::kQuickGrowthSlots) {
      EXPECT_EQ(store.table_slots(), by_half(by_half(by_half(slots))));
      EXPECT_GE((k + 1) * 9, store.table_slots() * 2) << "less than 2/9 full after growing at " << k + 1;
      ++quick;
    } else {
      EXPECT_EQ(store.table_slots(), by_half(slots));
      EXPECT_GE((k + 1) * 2, store.table_slots()) << "less than half full after growing at " << k + 1;
      ++by_half_only;
    }
    slots = store.table_slots();
    if ((slots & (slots - 1)) != 0) ++not_powers_of_two;
    for (uint64_t j = 0; j <= k; ++j) ASSERT_EQ(store.find(packed(j).data()), j) << "state " << j << " of " << k + 1;
  }
  EXPECT_EQ(quick, 6);  // 1,024 slots to 1,513,342
  EXPECT_GE(by_half_only, 1);
  EXPECT_EQ(not_powers_of_two, quick + by_half_only);
  for (uint64_t k = 0; k < n; k += 7) {
    const auto [index, inserted] = store.insert(packed(k).data(), 0);
    EXPECT_FALSE(inserted);
    EXPECT_EQ(index, k);
  }
  EXPECT_EQ(store.find(packed(n).data()), StateStore::kNotFound);
  EXPECT_EQ(store.find(packed(n + 12345).data()), StateStore::kNotFound);
}

TEST(StateStore, CopyStateWritesExactlyTheStatesBytes) {
  // Two overlapping moves for 4 to 16 bytes, memcpy otherwise: every size copies its n bytes and
  // leaves the byte after them (another state's, perhaps another thread's) alone.
  for (std::size_t n = 1; n <= 40; ++n) {
    std::vector<uint8_t> from(n + 8), to(n + 8, 0xEE);
    for (std::size_t i = 0; i < from.size(); ++i) from[i] = static_cast<uint8_t>(i * 37 + n);
    StateStore::copy_state(to.data(), from.data(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(to[i], from[i]) << n << " bytes, byte " << i;
    for (std::size_t i = n; i < to.size(); ++i) ASSERT_EQ(to[i], 0xEE) << n << " bytes: byte " << i << " written";
  }
}

TEST(StateStore, TableSizesStayWithinTheIndexAndTheLargestTable) {
  // The sizes insert() goes through, up to the largest: by half three times over while small,
  // then each by half (the last capped at 2^32 slots, whose 3/4 is kMaxStates + 1), so slot
  // positions fit 32 bits and the table is never more than 3/4 full; the sizes of a large table
  // are those it would have had growing by half from the start.
  std::size_t slots = StateStore::slots_for(0);
  std::size_t halves = slots;
  while (slots < StateStore::kMaxSlots) {
    const std::size_t next = StateStore::grown(slots);
    EXPECT_GT(next, slots);
    if (slots >= StateStore::kQuickGrowthSlots) {
      EXPECT_EQ(next, by_half(slots));
    } else {
      EXPECT_EQ(next, by_half(by_half(by_half(slots))));
    }
    while (halves < next) halves = by_half(halves);
    EXPECT_EQ(halves, next) << "not a size of growth by half";
    slots = next;
  }
  EXPECT_EQ(slots, StateStore::kMaxSlots);
  EXPECT_EQ(StateStore::slots_for(StateStore::kMaxStates), StateStore::kMaxSlots);
  EXPECT_EQ((StateStore::kMaxStates + 1) * 4, StateStore::kMaxSlots * 3);
}

TEST(StateStore, ParentsReadBackAfterTruncate) {
  // A small buffer, so that most links are in the file.
  const fs::path dir = scratch("parents-truncate");
  StateStore store(kStateBytes, std::make_unique<ParentLinks>(dir.string(), 1000));
  for (uint64_t k = 0; k < 10000; ++k) store.insert(packed(k).data(), parent_of(k));
  EXPECT_EQ(store.parents_note(), "");
  for (uint64_t k = 0; k < 10000; ++k) ASSERT_EQ(store.parent(static_cast<uint32_t>(k)), parent_of(k)) << k;
  for (uint64_t keep : {9500u, 7777u, 7000u}) {  // within the buffer, inside the file, at a write's end
    store.truncate(keep);
    EXPECT_EQ(store.size(), keep);
    for (uint64_t k = 0; k < 10000; ++k)
      ASSERT_EQ(store.find(packed(k).data()), k < keep ? k : StateStore::kNotFound) << k;
    for (uint64_t k = 0; k < keep; ++k) ASSERT_EQ(store.parent(static_cast<uint32_t>(k)), parent_of(k)) << k;
  }
  // The search goes on after a cut: new links are written over the old file's tail.
  for (uint64_t k = 7000; k < 12000; ++k) store.insert(packed(k + 1000000).data(), parent_of(k) ^ 1);
  for (uint64_t k = 0; k < 12000; ++k)
    ASSERT_EQ(store.parent(static_cast<uint32_t>(k)), k < 7000 ? parent_of(k) : parent_of(k) ^ 1) << k;
}

TEST(StateStore, ParentsPutOutOfOrderReadBack) {
  // As the search on several threads: room for a window's states, records put in any order
  // (here backwards), then committed; windows larger than the links' buffer too.
  const fs::path dir = scratch("parents-put");
  StateStore store(kStateBytes, std::make_unique<ParentLinks>(dir.string(), 1000));
  store.insert(packed(0).data(), StateStore::kNoParent);
  uint64_t count = 1;
  for (uint64_t window : {10u, 999u, 1u, 2500u, 700u, 4000u}) {
    const uint64_t end = count + window;
    store.reserve_records(end);
    for (uint64_t k = end; k-- > count;) store.put(static_cast<uint32_t>(k), parent_of(k), packed(k).data());
    store.commit(end);
    store.resize_table(StateStore::slots_for(end));
    store.populate_table(0, store.table_bytes() / 2);  // in two ranges, as two threads may
    store.populate_table(store.table_bytes() / 2, store.table_bytes());
    store.rehash(0, end);
    count = end;
  }
  EXPECT_EQ(store.parent(0), StateStore::kNoParent);
  for (uint64_t k = 1; k < count; ++k) {
    ASSERT_EQ(store.parent(static_cast<uint32_t>(k)), parent_of(k)) << k;
    ASSERT_EQ(store.find(packed(k).data()), k) << k;
  }
  // And one at a time again after them.
  for (uint64_t k = count; k < count + 3000; ++k) store.insert(packed(k).data(), parent_of(k));
  for (uint64_t k = 1; k < count + 3000; ++k) ASSERT_EQ(store.parent(static_cast<uint32_t>(k)), parent_of(k)) << k;
}

TEST(StateStore, ATableIsBackedInTheRangesAsked) {
  // The search on several threads backs a new table's pages in ranges, one per thread at a time
  // (ParallelLevel::rebuild_table): each range exactly, and nothing outside it.
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  MappedBuffer buffer(64 * page);
  auto backed = [&] {
    std::vector<unsigned char> pages(64);
    EXPECT_EQ(mincore(buffer.data(), buffer.size(), pages.data()), 0);
    std::string out;
    for (unsigned char p : pages) out += (p & 1) ? '#' : '.';
    return out;
  };
  EXPECT_EQ(backed(), std::string(64, '.'));
  buffer.populate(8 * page, 24 * page);
  buffer.populate(40 * page + 1, 41 * page);  // a range inside one page backs that page
  EXPECT_EQ(backed(), std::string(8, '.') + std::string(16, '#') + std::string(16, '.') + "#" + std::string(23, '.'));
  buffer.populate();
  EXPECT_EQ(backed(), std::string(64, '#'));
  for (std::size_t at = 0; at < buffer.size(); at += page) ASSERT_EQ(buffer.data()[at], 0) << "backed pages read as zero";
}

TEST(StateStore, WithoutParentLinks) {
  StateStore store(kStateBytes, nullptr);
  for (uint64_t k = 0; k < 5000; ++k) store.insert(packed(k).data(), parent_of(k));
  EXPECT_EQ(store.parent(17), StateStore::kNoParent);
  EXPECT_EQ(store.parents_note(), "");
  EXPECT_EQ(store.memory_bytes(), (5000 * kStateBytes + 4095) / 4096 * 4096 + StateStore::slots_for(5000) * 4);
}

}  // namespace
}  // namespace interlock
