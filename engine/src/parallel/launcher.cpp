#include <cstdlib>

#include "syn/engine/process_group.hpp"

namespace syn {

// Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; launchers speaking PMI or PMIx (MPICH's, Slurm's
// srun) set PMI_SIZE or PMIX_RANK.
bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

}  // namespace syn
