#pragma once

// `syn doc`: the receptors and neuron types a file declares, with their parameters (as written,
// inherited or default, with units), inheritance and doc comments, for a terminal or as Markdown.

#include <string>

#include "semantics/library_loader.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

enum class doc_format { text, markdown };

// The page of `lib`; only the declaration named `only` when it is not empty (nullopt-free: an
// unknown name gives an empty string, which the caller reports).
std::string doc_page(const library& lib, doc_format format, const std::string& only = {});

// Also used by the REPL's `show`: a text with each non-empty line indented and ended.
std::string indented(const std::string& text, const char* indent);

}  // namespace syn::dsl
