#pragma once

#include <csignal>
#include <filesystem>

namespace syn::dsl {

// What a signal that ends the process (SIGINT, SIGTERM, SIGHUP) removes before it does: the
// temporary folder of the run writing its results (output_folder), with everything in it (a
// sweep's runs, each with its own temporary folder, inside the sweep's). One such folder at a
// time in a process: the outermost. A signal the process ignores (`nohup`, a background job of
// a shell) stays ignored.
namespace signal_cleanup {

// Starts removing `folder` on those signals; false (nothing watched) when another folder is
// watched already or the path is too long to keep.
bool watch(const std::filesystem::path& folder);
// Puts the signals' handlers back as they were.
void unwatch();

// The signals held back while it lives, delivered when it ends: moving results into place is
// never cut in the middle.
class held {
 public:
  held();
  ~held();
  held(const held&) = delete;
  held& operator=(const held&) = delete;

 private:
  sigset_t before_;
};

}  // namespace signal_cleanup
}  // namespace syn::dsl
