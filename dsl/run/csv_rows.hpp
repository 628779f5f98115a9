#pragma once

// Reading a CSV output of syn back, row by row, without holding the file: `syn plot` reads
// results folders whose v.csv may be larger than memory.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "run/csv_files.hpp"

namespace syn::dsl {

// Calls `row` with the fields (trimmed of spaces) of each line after the header, which must be
// `header` (a UTF-8 byte order mark and CRLF line ends are accepted; blank lines are skipped).
// `row` returns an error message to stop with an error at that line, or nullopt to go on. A row
// without as many fields as the header is an error.
std::optional<csv_error> read_csv_rows(
    const std::filesystem::path& path, std::string_view header,
    const std::function<std::optional<std::string>(std::span<const std::string_view>)>& row);

// A field as a finite number, or nullopt.
std::optional<double> csv_number(std::string_view field);
// A field as an index or a count, or nullopt.
std::optional<std::uint32_t> csv_index(std::string_view field);
std::optional<std::uint64_t> csv_count(std::string_view field);

}  // namespace syn::dsl
