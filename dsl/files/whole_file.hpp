#pragma once

// The one way Syn writes a file at a path a user names (`syn graph --out`, the REPL's `plot ...
// to "FILE"`): whole or not at all. The file is written in a hidden folder beside the path
// (`.syn-write-XXXXXX`, on the same file system) and renamed onto it when complete, so that a
// failure leaves the path as it was. The folder goes in any case, on SIGINT, SIGTERM and SIGHUP
// too (run/signal_cleanup). A run's results go through run/output_folder instead.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace syn::dsl {

// `text` written to `path`; false, with `error` ("cannot write 'PATH': REASON"), when it cannot.
bool write_whole_file(const std::filesystem::path& path, std::string_view text, std::string& error);

// The same for a file that `fill` writes at the temporary path it is given (a program's output);
// `fill` returns false, with `error` set, when it fails.
bool write_whole_file(const std::filesystem::path& path, std::string& error,
                      const std::function<bool(const std::filesystem::path&)>& fill);

}  // namespace syn::dsl
