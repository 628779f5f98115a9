#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "syn/engine/records.hpp"

namespace syn {

// The processes that simulate one network together (`mpirun -np K syn run`), each holding some
// of its neurons and the synapses onto them. Every call is collective: each process makes the
// same calls in the same order.
class process_group {
 public:
  virtual ~process_group() = default;
  virtual std::uint32_t rank() const = 0;
  virtual std::uint32_t size() const = 0;
  // How many of them share this machine (and its cores).
  virtual std::uint32_t on_this_machine() const = 0;

  // Each process's x, the smallest, on every process (element by element).
  virtual void min(std::span<double> x) = 0;
  // ... the sums.
  virtual void sum(std::span<std::uint64_t> x) = 0;
  // Every process's `spikes` and `numbers` (as many on each), in rank order, on every process:
  // an epoch's spikes and what the next epoch's plan needs, in one exchange. They replace what
  // `into` held, in its vectors' memory: thousands of exchanges a second reuse it.
  struct gathered {
    std::vector<spike> spikes;
    std::vector<double> numbers;
  };
  virtual void all_spikes(std::span<const spike> spikes, std::span<const double> numbers,
                          gathered& into) = 0;
  // Every process's lists (as many on each), in rank order, on rank 0 (empty elsewhere).
  virtual std::vector<std::vector<sample>> samples_at_root(
      const std::vector<std::vector<sample>*>& mine) = 0;
  // The text of process `from`, on every process.
  virtual std::string broadcast(std::uint32_t from, const std::string& text) = 0;
};

// MPI, when mpirun (or another launcher) started this process: MPI is initialised on the first
// call and finalised at exit. Null when started alone; throws std::runtime_error when started by
// mpirun but built without MPI.
process_group* mpi_processes();
// Whether a launcher of MPI programs started this process (its environment says so).
bool started_by_mpirun();
bool mpi_built_in();

}  // namespace syn
