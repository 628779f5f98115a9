#include <stdexcept>

#include "syn/engine/process_group.hpp"

namespace syn {

bool mpi_built_in() { return false; }

process_group* mpi_processes() {
  if (started_by_mpirun())
    throw std::runtime_error(
        "this syn was built without MPI, so it cannot run over several processes: install Open "
        "MPI (scripts/setup) and build again");
  return nullptr;
}

}  // namespace syn
