from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_video import CUTS, write_video

from scriptalign.video.options import FaceOptions
from scriptalign.video.reader import probe_video
from scriptalign.video.scan import ScanRange, ScanResult, scan
from scriptalign.video.shots import CutRule

OPTIONS = FaceOptions(every=0.2)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("scan") / "v.avi")


def _summary(results: list[ScanResult]) -> list[tuple[object, ...]]:
    out = []
    for r in results:
        for s in r.shots:
            out.append(("shot", s.shot.first_frame, s.shot.last_frame, s.shot.start,
                        s.shot.end, s.dropped))
            for t in s.tracks:
                out.append(("track", t.track.start, t.track.end,
                            [(d.frame, d.box, d.score, d.extra["source"])
                             for d in t.track.detections],
                            t.sample_frames, t.encodings.round(6).tolist()))
    return out


@pytest.fixture(scope="module")
def full(video: Path) -> ScanResult:
    return scan(video, probe_video(video), OPTIONS, ScanRange())


def test_full_pass_reports_every_shot(full: ScanResult) -> None:
    result = full
    assert [(s.shot.first_frame, s.shot.last_frame) for s in result.shots] == [
        (0, CUTS[0] - 1), (CUTS[0], CUTS[1] - 1), (CUTS[1], 99)]
    assert [len(s.tracks) for s in result.shots] == [1, 2, 0]
    assert result.warning is None


def test_stretches_join_into_the_full_pass(video: Path, full: ScanResult) -> None:
    # What --jobs does, in this process: each stretch reports the shots starting in it.
    info = probe_video(video)
    context = CutRule().window + 1
    parts = [
        scan(video, info, OPTIONS, ScanRange(close_at=30)),
        scan(video, info, OPTIONS, ScanRange(first_frame=30 - context, open_at=30,
                                             close_at=50)),
        scan(video, info, OPTIONS, ScanRange(first_frame=50 - context, open_at=50)),
    ]
    assert [len(p.shots) for p in parts] == [1, 1, 1]
    assert _summary(parts) == _summary([full])


def test_time_range_limits_the_pass(video: Path) -> None:
    info = probe_video(video)
    result = scan(video, info, OPTIONS, ScanRange(start=1.0, end=3.5))
    shots = [(s.shot.first_frame, s.shot.last_frame) for s in result.shots]
    assert shots == [(25, CUTS[0] - 1), (CUTS[0], CUTS[1] - 1), (CUTS[1], 87)]
    frames = [d.frame for s in result.shots for t in s.tracks for d in t.track.detections]
    assert min(frames) >= 25 and max(frames) <= 87
    assert np.isclose(result.shots[0].shot.start, 1.0)
