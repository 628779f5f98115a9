#include "cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "checker.hpp"
#include "demo_model.hpp"
#include "parser.hpp"
#include "simulation.hpp"

namespace syn::dsl {

namespace {

enum exit_code { ok = 0, model_failed = 1, usage_failed = 2, runtime_failed = 3 };

constexpr const char* usage = R"(usage:
  syn run [MODEL.syn] [--out DIR] [--seed N] [--spikes -] [-I DIR]...
                          run a model (no MODEL: a built-in demo of temporal summation)
  syn check MODEL.syn     parse and check only
  syn repl [MODEL.syn]    interactive interpreter
  syn doc NAME|FILE       declarations of a library, with their doc comments
  syn --help | --version

options:
  --out DIR     where spikes.csv and v.csv go (default: syn-out)
  --seed N      the seed of every random draw (default: the model's `seed`, else 1)
  --spikes -    also print the spike rows on standard output
  -I DIR        a folder to search for imported libraries (repeatable)

exit codes: 0 ok, 1 model error, 2 usage error, 3 runtime error
)";

struct arguments {
  std::string command;
  std::string model;
  run_options options;
  std::vector<std::string> include_dirs;
};

int usage_error(const std::string& message) {
  fmt::print(stderr, "syn: error: {}\n{}", message, usage);
  return usage_failed;
}

bool colour_on(std::FILE* f) { return isatty(fileno(f)) && !std::getenv("NO_COLOR"); }

// Parses and checks a model; its diagnostics are printed either way.
std::optional<model> load(const source_file& file, const std::filesystem::path& base_dir) {
  diagnostics diags;
  model m;
  checker check(m, diags, base_dir);
  for (const ast::statement& s : parse(file, diags)) check.check(s);
  diags.sort_by_position();
  diags.render(stderr, colour_on(stderr));
  if (diags.has_errors()) {
    fmt::print(stderr, "syn: {} error{} in {}\n", diags.error_count(),
               diags.error_count() == 1 ? "" : "s", file.name());
    return std::nullopt;
  }
  return m;
}

// The model file's text, or nullopt with `why` set.
std::optional<source_file> read_model(const std::string& path, std::string& why) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    why = std::filesystem::exists(path, ec) ? "not a regular file" : std::strerror(ENOENT);
    return std::nullopt;
  }
  // Spans are 32-bit offsets.
  if (std::filesystem::file_size(path, ec) >= std::uint64_t{1} << 31) {
    why = "larger than 2 GiB";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return source_file(path, text.str());
}

int run_model(const arguments& args) {
  std::string why;
  std::optional<source_file> file =
      args.model.empty() ? std::optional<source_file>(source_file("<demo>", demo_model))
                         : read_model(args.model, why);
  if (!file) {
    fmt::print(stderr, "syn: error: cannot read '{}': {}\n", args.model, why);
    return usage_failed;
  }
  const auto base_dir = std::filesystem::path(args.model).parent_path();
  const std::optional<model> m = load(*file, base_dir);
  if (!m) return model_failed;
  if (args.command == "check") {
    fmt::print(stderr, "syn: {} is fine\n", file->name());
    return ok;
  }
  if (m->run_ends.empty())
    fmt::print(stderr, "syn: warning: {} has no `run` statement, so nothing was simulated\n",
               file->name());
  diagnostics diags;
  std::optional<simulation> sim = simulation::build(*m, args.options, diags);
  if (!sim) {
    diags.render(stderr, colour_on(stderr));
    return model_failed;
  }
  std::string error;
  if (!sim->run_all(args.options.progress ? stderr : nullptr, error) ||
      !sim->write_outputs(error)) {
    fmt::print(stderr, "syn: error: {}\n", error);
    return runtime_failed;
  }
  if (args.options.stream_spikes) {
    sim->stream_spikes(stdout);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      fmt::print(stderr, "syn: error: cannot write the spikes to standard output: {}\n",
                 std::strerror(errno));
      return runtime_failed;
    }
  }
  sim->print_summary(stderr);
  return ok;
}

}  // namespace

namespace {

int run_command(int argc, char** argv) {
  std::vector<std::string_view> words(argv + 1, argv + argc);
  if (words.empty()) return usage_error("the REPL is not available yet: give a command");
  arguments args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= words.size()) return std::nullopt;
      return std::string(words[++i]);
    };
    if (w == "--help" || w == "-h") {
      fmt::print("syn {}: exact event-driven simulation of spiking neurons\n\n{}", SYN_VERSION,
                 usage);
      return ok;
    }
    if (w == "--version") {
      fmt::print("syn {}\n", SYN_VERSION);
      return ok;
    }
    if (w == "--out") {
      const auto v = value();
      if (!v) return usage_error("--out needs a folder");
      args.options.out_dir = *v;
    } else if (w == "--seed") {
      const auto v = value();
      std::uint64_t seed = 0;
      const auto parsed = v ? std::from_chars(v->data(), v->data() + v->size(), seed)
                            : std::from_chars_result{nullptr, std::errc::invalid_argument};
      if (parsed.ec != std::errc() || parsed.ptr != v->data() + v->size())
        return usage_error("--seed needs a whole number from 0 to 2^64 - 1");
      args.options.seed = seed;
    } else if (w == "--spikes") {
      const auto v = value();
      if (!v || *v != "-") return usage_error("--spikes takes '-' (standard output)");
      args.options.stream_spikes = true;
    } else if (w == "-I") {
      const auto v = value();
      if (!v) return usage_error("-I needs a folder");
      args.include_dirs.push_back(*v);
    } else if (w.size() > 1 && w[0] == '-') {
      return usage_error(fmt::format("unknown option '{}'", w));
    } else if (args.command.empty()) {
      args.command = w;
    } else if (args.model.empty()) {
      args.model = w;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", w));
    }
  }
  if (args.command == "repl" || args.command == "doc")
    return usage_error(fmt::format("'syn {}' is not available yet", args.command));
  if (args.command != "run" && args.command != "check")
    return usage_error(fmt::format("unknown command '{}'", args.command));
  if (args.command == "check" && args.model.empty())
    return usage_error("syn check needs a model file");
  args.options.progress = isatty(fileno(stderr));
  return run_model(args);
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    return run_command(argc, argv);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "syn: error: out of memory: the model is too large for this machine\n");
    return runtime_failed;
  }
}

}  // namespace syn::dsl
