#pragma once

// Where `syn graph --out FILE` puts the graph: FILE.dot as it is, FILE.svg drawn by Graphviz's
// `dot`. Either is written into a hidden temporary folder beside FILE (removed on SIGINT, SIGTERM
// and SIGHUP too, signal_cleanup) and renamed into place when complete, so that a failure leaves
// no half file and FILE as it was.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace syn::dsl {

// The first executable `dot` in the folders of PATH (the system's default path when PATH is
// not set); nullopt when there is none.
std::optional<std::filesystem::path> find_dot();

// `text` written to `path`; false (with `error`) when it cannot be.
bool write_dot_file(std::string_view text, const std::filesystem::path& path, std::string& error);

// `dot_program -Tsvg` run on `text`, its SVG written to `path`; false (with `error`) when `dot`
// fails or the file cannot be written. What `dot` says on standard error passes through.
bool write_svg_file(const std::filesystem::path& dot_program, std::string_view text,
                    const std::filesystem::path& path, std::string& error);

}  // namespace syn::dsl
