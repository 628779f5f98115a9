#pragma once

namespace syn::dsl {

// The `syn` command line (SPEC §4). Returns the process exit code: 0 ok, 1 model error,
// 2 usage error, 3 runtime error.
int run_cli(int argc, char** argv);

}  // namespace syn::dsl
