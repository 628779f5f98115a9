#pragma once

// The one way Syn reads a whole input file: a model, a library (syntax/source_file), a REPL
// `:load` and a replayed spike train (run/csv_files); `syn plot` reads results a line at a time.
//
// Only a regular file is read. A FIFO blocks its reader until a writer comes, a device such as
// /dev/zero never ends: the file is opened without blocking and refused on what fstat says of
// that descriptor, so that no path can hang the tool and the file checked is the file read. A
// file larger than its limit is refused before it is read, and while it is read, for files
// whose size the system does not know (those of /proc say 0).

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace syn::dsl {

constexpr std::uint64_t mebibyte = std::uint64_t{1} << 20;
constexpr std::uint64_t gibibyte = std::uint64_t{1} << 30;

// The bytes of the regular file at `path`, at most `limit` of them; nullopt, with `why` set,
// when it cannot be opened (the system's reason), is not a regular file ("it is a FIFO, not a
// regular file") or is larger ("it is larger than the limit of 1 GiB").
std::optional<std::string> read_regular_file(const std::string& path, std::uint64_t limit,
                                             std::string& why);

// The regular file at `path` open for reading, to be read a line at a time (a results folder's
// CSV files, which can be larger than memory); null, with `why` set as above, when it cannot be.
std::FILE* open_regular_file(const std::string& path, std::string& why);

}  // namespace syn::dsl
