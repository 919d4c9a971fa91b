package dev.frontier.coordinator.search;

import java.util.List;

/**
 * Ask/tell search. {@link #observe} feeds finished results, {@link #propose} asks for {@code n}
 * new trials. Implementations keep no storage of their own and draw randomness only from the
 * seeded source they were built with, so a job is reproducible from its seed and its history.
 */
public interface SearchStrategy {

    List<Proposal> propose(SearchHistory history, int n);

    void observe(List<TrialResult> results);
}
