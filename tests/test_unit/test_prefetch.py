import pytest

from posture.sources.prefetch import Prefetcher


def test_items_arrive_in_order_and_the_reader_ends():
    reader = Prefetcher(iter(range(50)), depth=3)
    assert list(reader) == list(range(50))
    assert not reader._thread.is_alive()


def test_an_error_of_the_reader_is_raised_in_the_consumer_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("bad frame 3")

    got = []
    with pytest.raises(ValueError, match="bad frame 3"):
        for item in Prefetcher(items()):
            got.append(item)
    assert got == [1, 2]


def test_closing_early_stops_the_reader_without_reading_everything():
    produced = []

    def endless():
        k = 0
        while True:
            produced.append(k)
            yield k
            k += 1

    reader = Prefetcher(endless(), depth=2)
    for item in reader:
        if item == 5:
            break
    reader.close()
    assert not reader._thread.is_alive()
    assert len(produced) <= 5 + 1 + 2 + 1  # the consumed items, the queue and the one in hand
