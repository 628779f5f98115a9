#include "tools/cli.hpp"

int main(int argc, char** argv) { return syn::dsl::run_cli(argc, argv); }
