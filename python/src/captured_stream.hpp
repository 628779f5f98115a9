#pragma once

// What a session prints, kept in a temporary file rather than on the terminal, and taken as text
// after each call: a Python program reads results as values, and errors as exceptions.

#include <cstdio>
#include <string>

namespace syn::python {

class captured_stream {
 public:
  captured_stream();
  ~captured_stream();
  captured_stream(const captured_stream&) = delete;
  captured_stream& operator=(const captured_stream&) = delete;

  std::FILE* file() const { return file_; }
  // The text written since the last take, which is then forgotten.
  std::string take();

 private:
  std::FILE* file_;
};

}  // namespace syn::python
