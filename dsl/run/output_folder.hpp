#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl {

// The folder a run writes its results into (`--out DIR`), so that they are never half-written
// nor mixed with another run's:
// - a lock on the folder (flock) refuses a second run into it while one is writing;
// - the files are written into a hidden temporary folder inside it (`.syn-run-XXXXXX`) and moved
//   into place when the run has completed: a failed, interrupted or killed run leaves the
//   previous results as they were;
// - moving them in first removes every output of an earlier run, so the folder holds one run's
//   results, and a symlink at DIR/spikes.csv is replaced, not followed. The outputs are listed
//   in DIR/.syn-outputs, so that the next run finds those whose names vary (figures, a sweep's
//   NAME=VALUE folders). A folder among them is removed only when it holds a run's results (its
//   own .syn-outputs).
// A temporary folder that a killed run left behind is removed by the next run into the folder;
// one interrupted by a signal (SIGINT, SIGTERM, SIGHUP) removes its own (signal_cleanup).
class output_folder {
 public:
  // Creates `dir` if needed, takes its lock, removes what killed runs left and makes the
  // temporary folder. `outputs` names every file this run may write there (with those of
  // .syn-outputs, the earlier run's). nullopt (with `error`) when one of these fails or an
  // output cannot be replaced.
  static std::optional<output_folder> open(const std::filesystem::path& dir,
                                           std::vector<std::string> outputs, std::string& error);
  // The same for files added to the results already there (`syn plot DIR`): commit replaces
  // only `outputs`, and .syn-outputs lists them beside the earlier run's.
  static std::optional<output_folder> open_to_add(const std::filesystem::path& dir,
                                                  std::vector<std::string> outputs,
                                                  std::string& error);
  output_folder(output_folder&& other) noexcept;
  output_folder& operator=(output_folder&&) = delete;
  // Discards what was not committed and releases the lock.
  ~output_folder();

  // A new file `name` (one of the outputs) in the temporary folder, open for writing; null
  // (with `error`) on failure.
  std::FILE* create(const std::string& name, std::string& error);
  // A new file `name` (one of the outputs) holding `text`; false (with `error`: "cannot write
  // 'DIR/NAME': REASON") on failure.
  bool write(const std::string& name, std::string_view text, std::string& error);
  // A new folder `name` in the temporary folder, for a run's own output_folder (`syn sweep`'s
  // NAME=VALUE): moved into place at commit like a file, replacing the results of a run there.
  // nullopt (with `error`) on failure.
  std::optional<std::filesystem::path> create_folder(const std::string& name, std::string& error);
  // Where the file `name` created is until commit (to read it back).
  std::filesystem::path temporary_path(const std::string& name) const { return temporary_ / name; }
  // Moves the files created into place, after removing every output of an earlier run, and
  // lists them in .syn-outputs. The files must be closed. False (with `error`) when one cannot
  // be moved.
  bool commit(std::string& error);

 private:
  output_folder(std::filesystem::path dir, std::vector<std::string> outputs,
                std::vector<std::string> kept, int lock_fd, std::filesystem::path temporary,
                bool watched);
  static std::optional<output_folder> open(const std::filesystem::path& dir,
                                           std::vector<std::string> outputs, bool adding,
                                           std::string& error);
  void discard();
  bool write_manifest(std::string& error);

  std::filesystem::path dir_;
  std::vector<std::string> outputs_;  // replaced at commit
  std::vector<std::string> kept_;     // listed outputs that stay (adding)
  int lock_fd_ = -1;                  // -1: not locked (a file system without locks)
  std::filesystem::path temporary_;
  bool watched_ = false;  // signal_cleanup watches the temporary folder
  std::vector<std::string> created_;
};

}  // namespace syn::dsl
