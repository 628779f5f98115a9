#pragma once

// Runs a model text as `syn run` does (parse, check, build, every `run`, write the outputs),
// for tests that look at what a whole model produces.

#include <filesystem>
#include <string>
#include <string_view>

#include "run/csv_files.hpp"
#include "run/run_summary.hpp"
#include "test_files.hpp"

namespace syn::dsl::test {


// Runs `text` with its outputs in `out_dir` (with --measure when `measure`) and returns what
// its summary reports; a diagnostic or a failed run fails the test. File trains are read
// relative to `out_dir`'s parent.
run_summary run_model(std::string_view text, const std::filesystem::path& out_dir,
                      bool measure = false);

// spikes.csv read back as sources, one per (population, index), as a file train reads it.
replay read_spikes(const std::filesystem::path& path);

}  // namespace syn::dsl::test
