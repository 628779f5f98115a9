#include "tools/param_options.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace syn::dsl {

const source_file& param_options::source(std::string argument) {
  sources_.push_back(std::make_unique<source_file>(command_line_source, std::move(argument)));
  return *sources_.back();
}

bool param_options::read(const std::vector<std::string>& arguments, diagnostics& diags) {
  const std::size_t errors = diags.error_count();
  for (const std::string& argument : arguments) {
    std::optional<param_setting> s = read_setting(source(argument), diags);
    if (!s) continue;
    const auto same = std::find_if(settings.begin(), settings.end(), [&](const param_setting& p) {
      return p.name.text == s->name.text;
    });
    if (same != settings.end()) {
      diags.error(s->name.where, fmt::format("{} is set twice", s->name.text),
                  fmt::format("it is set first by --set {}", same->name.where.file->text()));
      continue;
    }
    settings.push_back(std::move(*s));
  }
  return diags.error_count() == errors;
}

bool param_options::only_argument_errors(const diagnostics& diags) {
  return std::all_of(diags.all().begin(), diags.all().end(), [](const diagnostic& d) {
    return d.level != severity::error ||
           (d.where.file && d.where.file->name() == command_line_source);
  });
}

}  // namespace syn::dsl
