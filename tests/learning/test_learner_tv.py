"""``learn`` on a real TV episode (../shared; skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

from scriptalign.learning import LearnOptions, learn
from scriptalign.learning.evaluation import evaluate
from scriptalign.text.aligner import align_files
from scriptalign.text.alignment import Alignment
from scriptalign.video.tracks import load_tracks


def _bags(episode: Path) -> Alignment:
    """Our aligner's bags: the real path, never the dataset's own speakers."""
    return align_files(episode / "transcript.txt", episode / "subs.srt")


def test_tv_episode_far_above_the_baseline(shared: Path) -> None:
    episode = shared / "data" / "tv" / "bbt_s01e02"
    truth_doc = json.loads((episode / "gt_identities.json").read_text(encoding="utf-8"))
    truth = {int(k): v for k, v in truth_doc["identities"].items()}
    tracks = load_tracks(episode / "tracks")
    labels = learn([(_bags(episode), tracks)], LearnOptions(solver="fw"))[0]
    r = evaluate(labels, truth, truth_doc["cast"])
    # the baseline (speaker of the most-overlapped subtitles) scores 0.44 here,
    # the majority name 0.35; the benchmark has the full figures
    assert r["accuracy"] > 0.7
    assert r["map"] > 0.7
    assert r["tracks"] == 613
    assert not any("degenerate" in w for w in labels.warnings)


def test_tv_bags_of_another_episode_give_poor_names(shared: Path) -> None:
    # the good result above comes from the bags: e03's bags on e02's tracks are noise
    ep2 = shared / "data" / "tv" / "bbt_s01e02"
    ep3 = shared / "data" / "tv" / "bbt_s01e03"
    truth_doc = json.loads((ep2 / "gt_identities.json").read_text(encoding="utf-8"))
    truth = {int(k): v for k, v in truth_doc["identities"].items()}
    labels = learn([(_bags(ep3), load_tracks(ep2 / "tracks"))],
                   LearnOptions(solver="fw"))[0]
    assert evaluate(labels, truth, truth_doc["cast"])["accuracy"] < 0.6
    assert any("disagree" in w for w in labels.warnings)
