#pragma once

// `syn doc`: the receptors and neuron types a file declares, with their parameters (as written,
// inherited or default, with units), inheritance and doc comments, for a terminal or as Markdown.

#include <string>

#include "library_loader.hpp"

namespace syn::dsl {

enum class doc_format { text, markdown };

// The page of `lib`; only the declaration named `only` when it is not empty (nullopt-free: an
// unknown name gives an empty string, which the caller reports).
std::string doc_page(const library& lib, doc_format format, const std::string& only = {});

}  // namespace syn::dsl
