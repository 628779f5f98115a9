#include <mpi.h>

#include <climits>
#include <stdexcept>

#include "syn/engine/process_group.hpp"

namespace syn {

namespace {

// Counts and displacements of MPI's v-collectives are ints: more than 2^31 bytes a call is
// refused rather than wrapped.
int as_count(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw std::runtime_error("MPI: more than 2^31 bytes in one exchange");
  return static_cast<int>(n);
}

// Every process's `mine` into `out` (on every process with `all`, else on `root`).
template <typename T>
void gather_bytes(std::span<const T> mine, int size, int root, bool all, std::vector<T>& out) {
  const int bytes = as_count(mine.size_bytes());
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(counts.size());
  if (all)
    MPI_Allgather(&bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  else
    MPI_Gather(&bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD);
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = as_count(total);
    total += static_cast<std::size_t>(counts[r]);
  }
  out.resize(total / sizeof(T));
  if (all)
    MPI_Allgatherv(mine.data(), bytes, MPI_BYTE, out.data(), counts.data(), offsets.data(),
                   MPI_BYTE, MPI_COMM_WORLD);
  else
    MPI_Gatherv(mine.data(), bytes, MPI_BYTE, out.data(), counts.data(), offsets.data(), MPI_BYTE,
                root, MPI_COMM_WORLD);
}

// MPI_COMM_WORLD. The simulation calls MPI from its main thread only (the epochs' exchanges run
// there), so MPI_THREAD_FUNNELED is enough.
class mpi_group final : public process_group {
 public:
  mpi_group() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<std::uint32_t>(rank);
    size_ = static_cast<std::uint32_t>(size);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &local);
    int here = 1;
    MPI_Comm_size(local, &here);
    MPI_Comm_free(&local);
    here_ = static_cast<std::uint32_t>(here);
  }
  ~mpi_group() override { MPI_Finalize(); }
  mpi_group(const mpi_group&) = delete;
  mpi_group& operator=(const mpi_group&) = delete;

  std::uint32_t rank() const override { return rank_; }
  std::uint32_t size() const override { return size_; }
  std::uint32_t on_this_machine() const override { return here_; }

  void min(std::span<double> x) override {
    MPI_Allreduce(MPI_IN_PLACE, x.data(), as_count(x.size()), MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  }
  void sum(std::span<std::uint64_t> x) override {
    MPI_Allreduce(MPI_IN_PLACE, x.data(), as_count(x.size()), MPI_UINT64_T, MPI_SUM,
                  MPI_COMM_WORLD);
  }
  // The numbers and the count of spikes first; the spikes only when some process has any, as
  // most epochs of a quiet network have none.
  void all_spikes(std::span<const spike> spikes, std::span<const double> numbers,
                  gathered& into) override {
    std::vector<double> mine(numbers.begin(), numbers.end());
    mine.push_back(static_cast<double>(spikes.size()));
    std::vector<double> all(mine.size() * size_);
    MPI_Allgather(mine.data(), as_count(mine.size()), MPI_DOUBLE, all.data(), as_count(mine.size()),
                  MPI_DOUBLE, MPI_COMM_WORLD);
    into.numbers.clear();
    double total = 0.0;
    for (std::uint32_t r = 0; r < size_; ++r) {
      const auto first = all.begin() + static_cast<std::ptrdiff_t>(r * mine.size());
      into.numbers.insert(into.numbers.end(), first,
                          first + static_cast<std::ptrdiff_t>(numbers.size()));
      total += *(first + static_cast<std::ptrdiff_t>(numbers.size()));
    }
    into.spikes.clear();
    if (total > 0.0) gather_bytes(spikes, static_cast<int>(size_), 0, true, into.spikes);
  }
  std::vector<std::vector<sample>> samples_at_root(
      const std::vector<std::vector<sample>*>& mine) override {
    // The lists' lengths, then their samples in one piece.
    std::vector<std::uint64_t> lengths;
    std::vector<sample> flat;
    for (const std::vector<sample>* list : mine) {
      lengths.push_back(list->size());
      flat.insert(flat.end(), list->begin(), list->end());
    }
    std::vector<std::uint64_t> all_lengths;
    gather_bytes(std::span<const std::uint64_t>(lengths), static_cast<int>(size_), 0, false,
                 all_lengths);
    std::vector<sample> all;
    gather_bytes(std::span<const sample>(flat), static_cast<int>(size_), 0, false, all);
    std::vector<std::vector<sample>> lists;
    std::size_t at = 0;
    for (const std::uint64_t n : all_lengths) {
      lists.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                         all.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
    }
    return lists;
  }
  std::string broadcast(std::uint32_t from, const std::string& text) override {
    std::uint64_t length = text.size();
    MPI_Bcast(&length, 1, MPI_UINT64_T, static_cast<int>(from), MPI_COMM_WORLD);
    std::string out = rank_ == from ? text : std::string(length, '\0');
    MPI_Bcast(out.data(), as_count(length), MPI_CHAR, static_cast<int>(from), MPI_COMM_WORLD);
    return out;
  }

 private:
  std::uint32_t rank_ = 0;
  std::uint32_t size_ = 1;
  std::uint32_t here_ = 1;
};

}  // namespace

bool mpi_built_in() { return true; }

process_group* mpi_processes() {
  if (!started_by_mpirun()) return nullptr;
  static mpi_group world;
  return &world;
}

}  // namespace syn
