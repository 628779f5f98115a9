#pragma once

// The names a file declares, in declaration order and found by hash: a file may declare a
// million populations, and a search through the names before each one made checking it take
// time quadratic in their number.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "syntax/source_file.hpp"

namespace syn::dsl {

// A declaration a file makes, as its checker resolved it: what it is and where it sits in the
// file's model (receptors, neuron_types, groups or params).
struct declaration {
  enum class kind { receptor, neuron, population, train, param } what;
  std::uint32_t index;
  span where;
};

// "a receptor", "a param", ...: what a declaration is, for messages.
inline const char* kind_noun(declaration::kind k) {
  switch (k) {
    case declaration::kind::receptor:
      return "a receptor";
    case declaration::kind::neuron:
      return "a neuron type";
    case declaration::kind::population:
      return "a population";
    case declaration::kind::train:
      return "a train";
    case declaration::kind::param:
      return "a param";
  }
  return "";
}

class name_table {
 public:
  using entry = std::pair<std::string, declaration>;

  // The declaration of `name`; nullptr when there is none.
  const declaration* find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &entries_[it->second].second;
  }
  // Adds `name` unless it is declared already; false then.
  bool add(const std::string& name, const declaration& d) {
    if (!index_.emplace(name, static_cast<std::uint32_t>(entries_.size())).second) return false;
    entries_.emplace_back(name, d);
    return true;
  }
  std::size_t size() const { return entries_.size(); }
  std::vector<entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<entry> entries_;
  std::unordered_map<std::string, std::uint32_t> index_;  // name -> position in entries_
};

}  // namespace syn::dsl
