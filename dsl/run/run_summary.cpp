#include "run/run_summary.hpp"

#include <fmt/format.h>

#include <cmath>

namespace syn::dsl {

namespace {

std::string number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "null"; }
std::string number(const std::optional<double>& x) { return x ? number(*x) : "null"; }

// The length of the UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  std::size_t n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xE  ? 3
                  : (b >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) >> 6) != 0x2) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
  if (n == 2 && b < 0xC2) return 0;
  if (n == 3 && ((b == 0xE0 && byte(i + 1) < 0xA0) || (b == 0xED && byte(i + 1) >= 0xA0))) return 0;
  if (n == 4 &&
      ((b == 0xF0 && byte(i + 1) < 0x90) || b > 0xF4 || (b == 0xF4 && byte(i + 1) >= 0x90)))
    return 0;
  return n;
}

std::string shown(double x) { return std::isfinite(x) ? fmt::format("{:.9g}", x) : "-"; }

}  // namespace

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

namespace {

// A neuron's count line, then its PSPs alone from `first` on, a row each.
std::string neuron_table(const measured_neuron& n, std::size_t first) {
  std::string out = fmt::format("PSPs of {}: {} alone, {} overlapping, {} unfinished\n", n.neuron,
                                n.alone_count, n.overlapping, n.unfinished);
  if (first >= n.alone.size()) return out;
  out += fmt::format("  {:>12}  {:<24}  {:>12}  {:>15}  {:>13}\n", "arrival_ms", "input",
                     "amplitude_mV", "time_to_peak_ms", "half_width_ms");
  for (std::size_t i = first; i < n.alone.size(); ++i) {
    const measured_psp& p = n.alone[i];
    out += fmt::format(
        "  {:>12}  {:<24}  {:>12}  {:>15}  {:>13}\n", shown(p.arrival),
        fmt::format("{} via {}{}", p.source, p.receptor, p.conductance ? " (nS)" : ""),
        shown(p.shape.amplitude), shown(p.shape.time_to_peak), shown(p.shape.half_width));
  }
  if (n.alone.size() < n.alone_count)
    out += fmt::format("  ... and {} more alone\n", n.alone_count - n.alone.size());
  return out;
}

}  // namespace

void print_psps(std::FILE* out, const run_summary& s) {
  if (!s.psps) return;
  for (const measured_neuron& n : *s.psps) std::fputs(neuron_table(n, 0).c_str(), out);
}

void print_new_psps(std::FILE* out, const std::vector<measured_neuron>& now,
                    const std::vector<measured_neuron>& before) {
  for (std::size_t i = 0; i < now.size(); ++i)
    std::fputs(neuron_table(now[i], i < before.size() ? before[i].alone.size() : 0).c_str(), out);
}

void print_json(std::FILE* out, const run_summary& s) {
  std::string j = fmt::format(
      "{{\"neurons\":{},\"synapses\":{},\"spikes\":{},\"simulated_ms\":{},\"events\":{},"
      "\"threads\":{},\"processes\":{},\"epochs\":{},\"wall_seconds\":{},\"seed\":{},"
      "\"out\":{},\"populations\":[",
      s.neurons, s.synapses, s.spikes, number(s.simulated_ms), s.events, s.threads, s.processes,
      s.epochs, number(s.wall_seconds), s.seed, s.out ? json_string(*s.out) : "null");
  for (std::size_t i = 0; i < s.populations.size(); ++i) {
    const population_summary& p = s.populations[i];
    j += fmt::format(
        "{}{{\"name\":{},\"size\":{},\"kind\":{},\"type\":{},\"spikes\":{},\"rate_Hz\":{},"
        "\"cv_isi\":{},\"synchrony\":{}}}",
        i ? "," : "", json_string(p.name), p.size, p.is_train ? "\"train\"" : "\"neurons\"",
        p.is_train ? "null" : json_string(p.type), p.spikes, number(p.rate_hz), number(p.cv_isi),
        number(p.synchrony));
  }
  j += "]";
  if (s.psps) {
    j += ",\"psps\":[";
    for (std::size_t i = 0; i < s.psps->size(); ++i) {
      const measured_neuron& n = (*s.psps)[i];
      j += fmt::format(
          "{}{{\"neuron\":{},\"alone_count\":{},\"overlapping\":{},\"unfinished\":{},"
          "\"alone\":[",
          i ? "," : "", json_string(n.neuron), n.alone_count, n.overlapping, n.unfinished);
      for (std::size_t k = 0; k < n.alone.size(); ++k) {
        const measured_psp& p = n.alone[k];
        j += fmt::format(
            "{}{{\"arrival_ms\":{},\"source\":{},\"receptor\":{},\"conductance\":{},"
            "\"amplitude_mV\":{},\"time_to_peak_ms\":{},\"half_width_ms\":{}}}",
            k ? "," : "", number(p.arrival), json_string(p.source), json_string(p.receptor),
            p.conductance, number(p.shape.amplitude), number(p.shape.time_to_peak),
            number(p.shape.half_width));
      }
      j += "]}";
    }
    j += "]";
  }
  j += "}\n";
  std::fputs(j.c_str(), out);
}

}  // namespace syn::dsl
