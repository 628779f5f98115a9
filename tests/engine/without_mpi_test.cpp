// A syn built without MPI (engine/src/parallel/without_mpi.cpp, compiled here on its own, whatever
// this build has) runs alone when started alone, and refuses clearly when mpirun started it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "syn/engine/process_group.hpp"

namespace syn {
namespace {

TEST(without_mpi, alone_it_runs_as_one_process) {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) unsetenv(name);
  EXPECT_FALSE(mpi_built_in());
  EXPECT_FALSE(started_by_mpirun());
  EXPECT_EQ(mpi_processes(), nullptr);
}

TEST(without_mpi, started_by_a_launcher_it_says_mpi_is_not_built_in) {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    for (const char* other : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) unsetenv(other);
    setenv(name, "2", 1);
    EXPECT_TRUE(started_by_mpirun()) << name;
    try {
      mpi_processes();
      ADD_FAILURE() << name << ": no error";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                "this syn was built without MPI, so it cannot run over several processes: "
                "install Open MPI (scripts/setup) and build again")
          << name;
    }
  }
}

}  // namespace
}  // namespace syn
