package dev.tapgrad.processor.diag;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Did you mean": edit distance, the threshold (a third of the name, 1 to 3 edits), and no guess for far names. */
class SuggestTest {
    @Test
    void distanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertThat(Suggest.distance("conv1", "conv1")).isEqualTo(0);
        assertThat(Suggest.distance("conv2", "conv1")).isEqualTo(1);
        assertThat(Suggest.distance("conv", "conv1")).isEqualTo(1);
        assertThat(Suggest.distance("conv11", "conv1")).isEqualTo(1);
        assertThat(Suggest.distance("kernle", "kernel")).isEqualTo(1); // adjacent swap is one edit
        assertThat(Suggest.distance("", "out")).isEqualTo(3);
        assertThat(Suggest.distance("flat", "out")).isEqualTo(3);
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void suggestsTheClosestNameWithinTheThreshold() {
        List<String> layers = List.of("conv1", "flat", "out");
        assertThat(Suggest.closest("conv2", layers)).isEqualTo(Optional.of("conv1"));
        assertThat(Suggest.closest("flatt", layers)).isEqualTo(Optional.of("flat"));
        assertThat(Suggest.closest("Conv1", layers)).isEqualTo(Optional.of("conv1")); // case is ignored
        assertThat(Suggest.closest("cat", List.of("bat", "hat"))).isEqualTo(Optional.of("bat")); // ties: first wins
    }

    @Test
    void thresholdIsAThirdOfTheNameBetweenOneAndThree() {
        // 6 letters: up to 2 edits.
        assertThat(Suggest.closest("abcdef", List.of("abcdxy"))).isEqualTo(Optional.of("abcdxy"));
        assertThat(Suggest.closest("abcdef", List.of("abxyzf"))).isEqualTo(Optional.empty());
        // 2 letters: still 1 edit.
        assertThat(Suggest.closest("ab", List.of("ac"))).isEqualTo(Optional.of("ac"));
        assertThat(Suggest.closest("ab", List.of("cd"))).isEqualTo(Optional.empty());
        // 15 letters: capped at 3 edits.
        assertThat(Suggest.closest("intermediate123", List.of("intermediate"))).isEqualTo(Optional.of("intermediate"));
        assertThat(Suggest.closest("intermediate1234", List.of("intermediate"))).isEqualTo(Optional.empty());
    }

    @Test
    void farNamesGetNoSuggestion() {
        List<String> layers = List.of("conv1", "flat", "out");
        assertThat(Suggest.closest("dense", layers)).isEqualTo(Optional.empty());
        assertThat(Suggest.closest("hidden", layers)).isEqualTo(Optional.empty());
        assertThat(Suggest.closest("conv1", List.of())).isEqualTo(Optional.empty());
        assertThat(Suggest.didYouMean("dense", layers)).isEqualTo("");
    }

    @Test
    void didYouMeanText() {
        assertThat(Suggest.didYouMean("conv2", List.of("conv1", "flat", "out"))).isEqualTo(" (did you mean conv1?)");
    }
}
