#include "captured_stream.hpp"

#include <unistd.h>

#include <system_error>

namespace syn::python {

captured_stream::captured_stream() : file_(std::tmpfile()) {
  if (!file_) throw std::system_error(errno, std::generic_category(), "a temporary file");
}

captured_stream::~captured_stream() { std::fclose(file_); }

std::string captured_stream::take() {
  std::fflush(file_);
  const long size = std::ftell(file_);
  std::string text(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  std::rewind(file_);
  text.resize(std::fread(text.data(), 1, text.size(), file_));
  std::rewind(file_);
  if (ftruncate(fileno(file_), 0) != 0) text += "\n(syn: a temporary file could not be emptied)\n";
  return text;
}

}  // namespace syn::python
