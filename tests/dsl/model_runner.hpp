#pragma once

// Runs a model text as `syn run` does (parse, check, build, every `run`, write the outputs),
// for tests that look at what a whole model produces.

#include <filesystem>
#include <string>
#include <string_view>

#include "run/csv_files.hpp"
#include "test_files.hpp"

namespace syn::dsl::test {


// Runs `text` with its outputs in `out_dir`; a diagnostic or a failed run fails the test (check
// with ASSERT_NO_FATAL_FAILURE). File trains are read relative to `out_dir`'s parent.
void run_model(std::string_view text, const std::filesystem::path& out_dir);

// spikes.csv read back as sources, one per (population, index), as a file train reads it.
replay read_spikes(const std::filesystem::path& path);

}  // namespace syn::dsl::test
