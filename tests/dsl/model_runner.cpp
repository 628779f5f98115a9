#include "model_runner.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "front_end/front_end.hpp"

namespace syn::dsl::test {

run_summary run_model(std::string_view text, const std::filesystem::path& out_dir, bool measure) {
  const source_file file("model.syn", std::string(text));
  front_end front(library_path::from_environment({}));
  front.check_file(file, out_dir.parent_path());
  run_options options;
  options.out_dir = out_dir;
  options.measure = measure;
  std::optional<model_run> sim;
  if (!front.diags.has_errors()) sim = build(front.m, options, front.diags);
  for (const diagnostic& d : front.diags.all()) ADD_FAILURE() << render(d, false);
  if (!sim) {
    ADD_FAILURE() << "the model did not build";
    return {};
  }
  std::string error;
  if (!(sim->open_outputs(error) && sim->run_all(nullptr, error) && sim->close_outputs(error)))
    ADD_FAILURE() << error;
  return sim->summary();
}

replay read_spikes(const std::filesystem::path& path) {
  auto result = read_spikes_csv(path.string());
  if (const auto* e = std::get_if<csv_error>(&result))
    throw std::runtime_error(path.string() + ": " + e->message);
  return std::get<replay>(std::move(result));
}

}  // namespace syn::dsl::test
