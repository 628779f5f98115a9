#pragma once

// `syn sweep MODEL.syn --set NAME=A..B/K | --set NAME=V1,V2,...`: the model run once per value of
// one param, in this process, one after the other, with the same seed; each run writes its usual
// outputs into DIR/NAME=VALUE, and the sweep each population's rate per value: a table on
// standard output, DIR/sweep.csv and DIR/sweep.svg.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace syn::dsl {

struct sweep_arguments {
  std::string model;
  std::vector<std::string> settings;  // --set: one sweeps, the others hold for every run
  std::filesystem::path out_dir;
  std::optional<std::uint64_t> seed;
  std::vector<std::filesystem::path> include_dirs;
};

// The exit code (tools/exit_codes.hpp).
int run_sweep(const sweep_arguments& args);

}  // namespace syn::dsl
