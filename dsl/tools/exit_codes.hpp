#pragma once

namespace syn::dsl {

// What `syn` exits with (SPEC §4).
enum exit_code { ok = 0, model_failed = 1, usage_failed = 2, runtime_failed = 3 };

}  // namespace syn::dsl
