#pragma once

// `syn plot DIR [--from T] [--to T] [--only POP]...`: the figures of a results folder,
// DIR/raster.svg from spikes.csv and DIR/v.svg from v.csv.

#include <cstdio>
#include <filesystem>

#include "run/results_figures.hpp"

namespace syn::dsl {

// The exit code: 0, 1 (a file of the folder is malformed), 2 (no such folder or population, no
// results in it) or 3 (a figure cannot be written). Messages go to `err`.
int plot_results(const std::filesystem::path& dir, const figure_selection& selection,
                 std::FILE* err);

}  // namespace syn::dsl
