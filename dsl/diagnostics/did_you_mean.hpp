#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl {

// The closest of `candidates` to `word` within a small edit distance, or "" (for hints).
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace syn::dsl
