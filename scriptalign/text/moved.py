"""Scenes the film moved: local alignment of what the global matching left over.

The global matching (``scriptalign.text.matching.match_words``) keeps script order, so a
scene the edit moved (a flashback cut elsewhere, two scenes swapped; ``jfk``'s draft puts
whole courtroom exhibits half an hour from where the film shows them) finds nothing in
order and its subtitles stay unclaimed. This pass looks for such blocks among the
leftovers only: speeches not found in the film and subtitle lines no speech owns.

Seed and chain, the way read aligners do local alignment near-linearly (Smith-Waterman
restricted to chains of seeds):

1. Seeds: a script word and a subtitle word that are the same rare word (used at most
   ``RARE`` times in the subtitles and in the free script words, at least ``SEED_LEN``
   letters): names, places, nouns survive a draft's rewording best.
2. Chains: seeds in order on both sides, each within ``CHAIN_GAP`` words of the one
   before in the whole script and the whole subtitles (so a chain never jumps over a long
   stretch of found speeches or claimed lines): the longest chain ending at every seed,
   by dynamic programming over a sliding window.
3. Blocks: each chain, longest first, spans the free speeches from its first seed to its
   last plus ``EXTEND_SPEECHES`` on either side, and the free lines plus
   ``EXTEND_LINES``; an exact word LCS inside that box places the words. What an earlier
   block claimed is masked out.
4. Evidence: a speech of a block keeps its main cluster of matches (as in the global
   pass) and is placed when its score reaches ``ALIGNED_MIN`` and ``STRONG_MIN`` of its
   words are strong matches (in a run of two consecutive words on both sides, or rare);
   a block needs ``BLOCK_MIN`` strong matches in all. Random text shares many common
   words in order ("you", "the", "I'm so"): on the wrong subtitle file for a film
   (``corpus/godzilla``: the 1998 script against the 1954 film) these rules place nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from scriptalign.text.matching import Tokens

RARE = 6
SEED_LEN = 3
CHAIN_GAP = 80
CHAIN_MIN = 2
EXTEND_SPEECHES = 2
EXTEND_LINES = 8
STRONG_MIN = 0.3
BLOCK_MIN = 6


def _free_runs(ids: np.ndarray, rank: int, extend: int) -> tuple[int, int]:
    """Ranks [lo, hi] of ``ids`` (sorted ints) around ``rank``: ``extend`` more on each
    side while they stay consecutive numbers (no found speech / claimed line between)."""
    lo = rank
    while lo > 0 and rank - lo < extend and ids[lo - 1] == ids[lo] - 1:
        lo -= 1
    hi = rank
    while hi + 1 < len(ids) and hi - rank < extend and ids[hi + 1] == ids[hi] + 1:
        hi += 1
    return lo, hi


def _chains(si: np.ndarray, sj: np.ndarray, gi: np.ndarray, gj: np.ndarray) -> list[list[int]]:
    """Chains of seeds (indices), longest first; a seed belongs to one chain.

    ``si``/``sj``: positions of the seeds among the free words (sorted by ``si``), ``gi``/
    ``gj`` the same in the whole texts (for the gap rule).
    """
    import numpy as np

    k = len(si)
    best = np.ones(k, dtype=np.int64)
    back = np.full(k, -1, dtype=np.int64)
    si_l, sj_l, gi_l, gj_l = si.tolist(), sj.tolist(), gi.tolist(), gj.tolist()
    lo = 0
    for q in range(k):
        while gi_l[q] - gi_l[lo] > CHAIN_GAP:
            lo += 1
        bq, bk = 1, -1
        for p in range(lo, q):
            if si_l[p] < si_l[q] and sj_l[p] < sj_l[q] and 0 < gj_l[q] - gj_l[p] <= CHAIN_GAP \
                    and best[p] + 1 > bq:
                bq, bk = int(best[p]) + 1, p
        best[q], back[q] = bq, bk
    used = np.zeros(k, dtype=bool)
    chains: list[list[int]] = []
    for q in np.argsort(-best, kind="stable").tolist():
        if best[q] < CHAIN_MIN:
            break
        members = []
        p = q
        while p >= 0 and not used[p]:
            members.append(p)
            p = int(back[p])
        if len(members) >= CHAIN_MIN:
            used[members] = True
            chains.append(members[::-1])
    return chains


def find_moved_blocks(s_tok: Tokens, u_tok: Tokens, scores: np.ndarray, owner: np.ndarray,
                      aligned_min: float, cluster_gap: int
                      ) -> dict[int, tuple[float, np.ndarray]]:
    """Speeches placed by local alignment: speech -> (score, its subtitle lines).

    ``scores`` are the global pass's speech scores (a speech below ``aligned_min`` is
    free), ``owner`` its line owners (-1: free line). ``cluster_gap`` as in the global
    cleaning. Neither array is modified.
    """
    import numpy as np

    from scriptalign.text.matching import lcs_pairs, main_cluster

    free_sp = scores < aligned_min
    fs = np.flatnonzero(free_sp[s_tok.owner])  # free script words (positions in s_tok)
    fu = np.flatnonzero(owner[u_tok.owner] < 0)  # free subtitle words
    if len(fs) == 0 or len(fu) == 0:
        return {}
    a, b = s_tok.ids[fs], u_tok.ids[fu]
    n_vocab = int(s_tok.ids.max()) + 1
    used_u = np.bincount(u_tok.ids[u_tok.ids >= 0], minlength=n_vocab)
    used_a = np.bincount(a, minlength=n_vocab)
    long_enough = np.zeros(n_vocab, dtype=bool)
    long_enough[[i for i, w in zip(s_tok.ids.tolist(), s_tok.words, strict=True)
                 if len(w) >= SEED_LEN]] = True
    rare = (used_u > 0) & (used_u <= RARE) & (used_a <= RARE) & long_enough
    where_u: dict[int, list[int]] = {}
    for j in np.flatnonzero((b >= 0) & rare[np.maximum(b, 0)]).tolist():
        where_u.setdefault(int(b[j]), []).append(j)
    seeds = [(i, j) for i in np.flatnonzero(rare[a]).tolist() for j in where_u.get(int(a[i]), ())]
    if not seeds:
        return {}
    si = np.array([s[0] for s in seeds], dtype=np.int64)
    sj = np.array([s[1] for s in seeds], dtype=np.int64)
    chains = _chains(si, sj, fs[si], fu[sj])

    n_words_of = np.bincount(s_tok.owner, minlength=len(scores))
    sp_of = s_tok.owner[fs]  # speech of each free script word
    ln_of = u_tok.owner[fu]  # line of each free subtitle word
    speeches = np.unique(sp_of)
    lines = np.unique(ln_of)
    taken_a = np.zeros(len(a), dtype=bool)
    taken_b = np.zeros(len(b), dtype=bool)
    out: dict[int, tuple[float, np.ndarray]] = {}
    for chain in chains:
        first, last = chain[0], chain[-1]
        r0 = int(np.searchsorted(speeches, sp_of[si[first]]))
        r1 = int(np.searchsorted(speeches, sp_of[si[last]]))
        r0 = _free_runs(speeches, r0, EXTEND_SPEECHES)[0]
        r1 = _free_runs(speeches, r1, EXTEND_SPEECHES)[1]
        q0 = _free_runs(lines, int(np.searchsorted(lines, ln_of[sj[first]])), EXTEND_LINES)[0]
        q1 = _free_runs(lines, int(np.searchsorted(lines, ln_of[sj[last]])), EXTEND_LINES)[1]
        a0 = int(np.searchsorted(sp_of, speeches[r0]))
        a1 = int(np.searchsorted(sp_of, speeches[r1], side="right"))
        b0 = int(np.searchsorted(ln_of, lines[q0]))
        b1 = int(np.searchsorted(ln_of, lines[q1], side="right"))
        # Claimed words never match: the script side has no negative ids, so -2 and -3
        # (and the subtitles' -1, a word the script never uses) match nothing.
        out_a: list[np.ndarray] = []
        out_b: list[np.ndarray] = []
        lcs_pairs(np.where(taken_a[a0:a1], -2, a[a0:a1]), np.where(taken_b[b0:b1], -3, b[b0:b1]),
                  a0, b0, out_a, out_b)
        if sum(map(len, out_a)) < BLOCK_MIN:
            continue
        pa, pb = np.concatenate(out_a), np.concatenate(out_b)
        linked = (np.diff(pa) == 1) & (np.diff(pb) == 1)
        strong = rare[a[pa]].copy()
        strong[:-1] |= linked
        strong[1:] |= linked
        placed: dict[int, tuple[float, np.ndarray, np.ndarray, np.ndarray]] = {}
        total = 0
        sp = sp_of[pa]
        for s in np.unique(sp).tolist():
            mine = np.flatnonzero(sp == s)
            n_words = int(n_words_of[s])
            keep = main_cluster(pb[mine], max(cluster_gap, n_words))
            mine = mine[keep]
            score = len(mine) / n_words
            n_strong = int(strong[mine].sum())
            if score >= aligned_min and n_strong >= STRONG_MIN * n_words \
                    and (len(mine) >= 2 or n_words == 1):
                placed[s] = (score, np.unique(ln_of[pb[mine]]), pa[mine], pb[mine])
                total += n_strong
        if total < BLOCK_MIN:
            continue
        claimed_a = np.concatenate([p[2] for p in placed.values()])
        claimed_b = np.concatenate([p[3] for p in placed.values()])
        taken_a[claimed_a.min():claimed_a.max() + 1] = True
        taken_b[claimed_b.min():claimed_b.max() + 1] = True
        seen: set[int] = set()
        for s, (score, mine_lines, _, _) in sorted(placed.items(), key=lambda x: -x[1][0]):
            fresh = [ln for ln in mine_lines.tolist() if ln not in seen]
            if fresh:
                seen.update(fresh)
                out[s] = (score, np.array(fresh, dtype=np.int64))
    return out
