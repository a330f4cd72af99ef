//===- EinsumLowering.cpp - ONNX Einsum -----------------------------------===//
//
// Einsum has no strata op: the equation is lowered to transpose / reshape /
// gather (diagonals) / reduce_sum / matmul. Each operand first loses its
// repeated labels (a diagonal: the two dimensions moved last, flattened, and
// every (n+1)-th element gathered) and the labels no other term needs
// (reduce_sum); then the operands are contracted left to right as batched
// matmuls [batch, M, K] x [batch, K, N]; the result is summed over labels
// the output lacks and transposed to the output's order. Sizes must be
// static (the reshapes need them).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

namespace strata::onnx_import {

namespace {

/// A label: a letter (its character code, > 0) or the j-th dimension of the
/// ellipsis (-1 - j).
using Label = int;

std::string labelName(Label l) {
  return l > 0 ? std::string(1, static_cast<char>(l)) : std::string("...");
}

/// One parsed term: its labels, the ellipsis (if any) standing at
/// `ellipsisAt` among the letters.
struct ParsedTerm {
  SmallVector<Label> letters;
  int ellipsisAt = -1;
};

FailureOr<ParsedTerm> parseTerm(StringRef s, std::string &error) {
  ParsedTerm t;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (!s.substr(i).starts_with("...") || t.ellipsisAt >= 0) {
        error = "malformed ellipsis in term '" + s.str() + "'";
        return failure();
      }
      t.ellipsisAt = t.letters.size();
      i += 2;
    } else if (llvm::isAlpha(c)) {
      t.letters.push_back(c);
    } else {
      error = "unexpected character '" + std::string(1, c) + "' in term '" +
              s.str() + "'";
      return failure();
    }
  }
  return t;
}

/// The labels of a term for an operand of rank `rank`, with `total` ellipsis
/// dimensions in the whole equation; std::nullopt if the rank does not fit.
std::optional<SmallVector<Label>> expand(const ParsedTerm &t, int64_t rank,
                                         int64_t total) {
  int64_t letters = t.letters.size();
  int64_t e = rank - letters;
  if (e < 0 || (t.ellipsisAt < 0 && e != 0))
    return std::nullopt;
  SmallVector<Label> labels;
  for (int64_t i = 0; i <= letters; ++i) {
    if (i == t.ellipsisAt)
      for (int64_t j = 0; j < e; ++j)
        labels.push_back(-1 - static_cast<int>(total - e + j));
    if (i < letters)
      labels.push_back(t.letters[i]);
  }
  return labels;
}

} // namespace

LogicalResult Importer::lowerEinsum(const ::onnx::NodeProto &node,
                                    SmallVector<Value> &outs) {
  std::string eq;
  for (char c : attrS("equation", ""))
    if (c != ' ')
      eq += c;
  StringRef equation(eq);
  auto [lhs, rhs] = equation.split("->");
  bool explicitOutput = equation.contains("->");
  SmallVector<StringRef> termText;
  lhs.split(termText, ',');
  if (static_cast<int>(termText.size()) != node.input_size())
    return failNode("equation '" + eq + "' has " + Twine(termText.size()) +
                    " terms for " + Twine(node.input_size()) + " inputs");

  struct Operand {
    Value v;
    SmallVector<Label> labels;
  };
  SmallVector<Operand> ops;
  SmallVector<ParsedTerm> parsed;
  int64_t ellipsisRank = 0;
  std::string error;
  for (size_t k = 0; k < termText.size(); ++k) {
    auto t = parseTerm(termText[k], error);
    if (failed(t))
      return failNode(error);
    STRATA_TRY(v, required(k));
    if (!typeOf(v).hasStaticShape())
      return unsupported("dynamic sizes");
    if (t->ellipsisAt >= 0)
      ellipsisRank = std::max<int64_t>(
          ellipsisRank, rankOf(v) - static_cast<int64_t>(t->letters.size()));
    parsed.push_back(*t);
    ops.push_back({v, {}});
  }
  for (size_t k = 0; k < ops.size(); ++k) {
    auto labels = expand(parsed[k], rankOf(ops[k].v), ellipsisRank);
    if (!labels)
      return failNode("term '" + termText[k] + "' does not fit input " +
                      Twine(k) + " of rank " + Twine(rankOf(ops[k].v)));
    ops[k].labels = *labels;
  }

  // Every label's size: equal across operands, or 1 (broadcast).
  std::map<Label, int64_t> size;
  for (const Operand &o : ops)
    for (auto [l, s] : llvm::zip(o.labels, typeOf(o.v).getShape())) {
      auto [it, added] = size.try_emplace(l, s);
      if (!added && it->second != s) {
        if (it->second != 1 && s != 1)
          return failNode("label '" + labelName(l) + "' has sizes " +
                          Twine(it->second) + " and " + Twine(s));
        it->second = std::max(it->second, s);
      }
    }

  // The output's labels.
  SmallVector<Label> output;
  if (explicitOutput) {
    auto t = parseTerm(rhs, error);
    if (failed(t))
      return failNode(error);
    auto labels =
        expand(*t, t->letters.size() + (t->ellipsisAt >= 0 ? ellipsisRank : 0),
               ellipsisRank);
    output = *labels;
    for (Label l : output)
      if (!size.count(l) || llvm::count(output, l) != 1)
        return failNode("output label '" + labelName(l) +
                        "' must appear once in the output and in an input");
  } else {
    // numpy: the ellipsis first, then the letters used once, sorted.
    for (int64_t j = 0; j < ellipsisRank; ++j)
      output.push_back(-1 - static_cast<int>(j));
    std::map<Label, int> uses;
    for (const Operand &o : ops)
      for (Label l : o.labels)
        if (l > 0)
          ++uses[l];
    for (auto [l, n] : uses)
      if (n == 1)
        output.push_back(l);
  }

  auto sizesOf = [&](ArrayRef<Label> labels) {
    SmallVector<int64_t> s;
    for (Label l : labels)
      s.push_back(size[l]);
    return s;
  };
  auto product = [&](ArrayRef<Label> labels) {
    int64_t p = 1;
    for (Label l : labels)
      p *= size[l];
    return p;
  };
  // Reorders `o` to `labels` (a permutation of its labels).
  auto permute = [&](Operand &o, ArrayRef<Label> labels) -> LogicalResult {
    SmallVector<int64_t> perm;
    for (Label l : labels)
      perm.push_back(llvm::find(o.labels, l) - o.labels.begin());
    if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      o.labels.assign(labels.begin(), labels.end());
      return success();
    }
    STRATA_TRY(t, create1("strata.transpose", o.v, {array("perm", perm)}));
    o.v = t;
    o.labels.assign(labels.begin(), labels.end());
    return success();
  };
  // Takes the diagonals of repeated labels.
  auto diagonals = [&](Operand &o) -> LogicalResult {
    for (;;) {
      auto dup = llvm::find_if(
          o.labels, [&](Label l) { return llvm::count(o.labels, l) > 1; });
      if (dup == o.labels.end())
        return success();
      Label l = *dup;
      SmallVector<int64_t> shape(typeOf(o.v).getShape());
      SmallVector<Label> rest;
      int64_t n = -1;
      for (auto [m, s] : llvm::zip(o.labels, shape)) {
        if (m != l) {
          rest.push_back(m);
        } else if (n >= 0 && n != s) {
          return failNode("repeated label '" + labelName(l) + "' has sizes " +
                          Twine(n) + " and " + Twine(s));
        } else {
          n = s;
        }
      }
      // The permutation puts every position of `l` last.
      SmallVector<int64_t> perm;
      for (auto [i, m] : llvm::enumerate(o.labels))
        if (m != l)
          perm.push_back(i);
      for (auto [i, m] : llvm::enumerate(o.labels))
        if (m == l)
          perm.push_back(i);
      Value v = o.v;
      if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
        STRATA_TRY(t, create1("strata.transpose", v, {array("perm", perm)}));
        v = t;
      }
      // The c dimensions of `l` flattened: element (i, ..., i) is at
      // i * (1 + n + ... + n^(c-1)).
      int64_t c = perm.size() - rest.size(), flatSize = 1, step = 0;
      for (int64_t j = 0; j < c; ++j) {
        step += flatSize;
        flatSize *= n;
      }
      SmallVector<int64_t> flat;
      for (int64_t p : ArrayRef(perm).drop_back(c))
        flat.push_back(shape[p]);
      flat.push_back(flatSize);
      STRATA_TRY(r, reshape(v, flat));
      SmallVector<int64_t> idx;
      for (int64_t i = 0; i < n; ++i)
        idx.push_back(i * step);
      STRATA_TRY(ic, constant(Tensor::fromInts(DType::i64, {n}, idx)));
      STRATA_TRY(g, create1("strata.gather", {r, ic},
                            {i64("axis", static_cast<int64_t>(rest.size()))}));
      o.v = g;
      o.labels = rest;
      o.labels.push_back(l);
    }
  };
  // Sums `o` over its labels that are not in `keep`.
  auto sumOut = [&](Operand &o, ArrayRef<Label> keep) -> LogicalResult {
    SmallVector<int64_t> axes;
    SmallVector<Label> left;
    for (auto [i, l] : llvm::enumerate(o.labels)) {
      if (llvm::is_contained(keep, l))
        left.push_back(l);
      else
        axes.push_back(i);
    }
    if (axes.empty())
      return success();
    STRATA_TRY(s, create1("strata.reduce_sum", o.v,
                          {array("axes", axes), flag("keepdims", false)}));
    o.v = s;
    o.labels = left;
    return success();
  };
  // Broadcasts `o`'s size-1 dimensions to the labels' sizes.
  auto broadcast = [&](Operand &o) -> LogicalResult {
    SmallVector<int64_t> want = sizesOf(o.labels);
    if (ArrayRef(want) == typeOf(o.v).getShape())
      return success();
    STRATA_TRY(b, create1("strata.broadcast_to", o.v, {array("shape", want)}));
    o.v = b;
    return success();
  };
  // The labels that the output or operands after `k` need.
  auto neededAfter = [&](size_t k) {
    SmallVector<Label> need(output);
    for (size_t j = k + 1; j < ops.size(); ++j)
      llvm::append_range(need, ops[j].labels);
    return need;
  };

  for (size_t k = 0; k < ops.size(); ++k) {
    if (failed(diagonals(ops[k])))
      return failure();
  }
  Operand acc = ops[0];
  if (failed(sumOut(acc, neededAfter(0))))
    return failure();
  for (size_t k = 1; k < ops.size(); ++k) {
    Operand b = ops[k];
    SmallVector<Label> need = neededAfter(k);
    SmallVector<Label> needA = need, needB = need;
    llvm::append_range(needA, b.labels);
    llvm::append_range(needB, acc.labels);
    if (failed(sumOut(acc, needA)) || failed(sumOut(b, needB)) ||
        failed(broadcast(acc)) || failed(broadcast(b)))
      return failure();
    SmallVector<Label> batch, contracted, aOnly, bOnly;
    for (Label l : acc.labels) {
      if (!llvm::is_contained(b.labels, l))
        aOnly.push_back(l);
      else if (llvm::is_contained(need, l))
        batch.push_back(l);
      else
        contracted.push_back(l);
    }
    for (Label l : b.labels)
      if (!llvm::is_contained(acc.labels, l))
        bOnly.push_back(l);
    SmallVector<Label> aOrder = batch, bOrder = batch;
    llvm::append_range(aOrder, aOnly);
    llvm::append_range(aOrder, contracted);
    llvm::append_range(bOrder, contracted);
    llvm::append_range(bOrder, bOnly);
    if (failed(permute(acc, aOrder)) || failed(permute(b, bOrder)))
      return failure();
    int64_t nb = product(batch), m = product(aOnly), kk = product(contracted),
            n = product(bOnly);
    STRATA_TRY(a3, reshape(acc.v, {nb, m, kk}));
    STRATA_TRY(b3, reshape(b.v, {nb, kk, n}));
    STRATA_TRY(mm, create1("strata.matmul", {a3, b3}));
    SmallVector<Label> labels = batch;
    llvm::append_range(labels, aOnly);
    llvm::append_range(labels, bOnly);
    STRATA_TRY(r, reshape(mm, sizesOf(labels)));
    acc = {r, labels};
  }
  if (failed(sumOut(acc, output)) || failed(broadcast(acc)) ||
      failed(permute(acc, output)))
    return failure();
  outs.push_back(acc.v);
  return success();
}

} // namespace strata::onnx_import
