package dev.tally.verify;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommitMetadataTest
{
    @Test
    void parsesTheEngineFormat()
    {
        assertThat(CommitMetadata.parse("tally1 T=1200 W=1767225598000 M=1767225600000"))
            .contains(new CommitMetadata(1200, 1_767_225_598_000L, 1_767_225_600_000L));
    }

    @Test
    void keysMayComeInAnyOrderAndUnknownKeysAreSkipped()
    {
        assertThat(CommitMetadata.parse("tally1 M=3 X=whatever T=1 W=2 G=7")).contains(new CommitMetadata(1, 2, 3));
    }

    @Test
    void extraSpacesAroundAndBetweenTokensAreTolerated()
    {
        assertThat(CommitMetadata.parse("  tally1  T=5   W=-1 M=0 \n")).contains(new CommitMetadata(5, -1, 0));
    }

    @Test
    void watermarkStateMayBeNegativeAndExtreme()
    {
        assertThat(CommitMetadata.parse("tally1 T=0 W=-9223372036854775808 M=9223372036854775807"))
            .contains(new CommitMetadata(0, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void formatIsTheInverseOfParse()
    {
        final CommitMetadata metadata = new CommitMetadata(42, -2000, Long.MIN_VALUE);
        assertThat(metadata.format()).isEqualTo("tally1 T=42 W=-2000 M=-9223372036854775808");
        assertThat(CommitMetadata.parse(metadata.format())).contains(metadata);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "   ",
        "tally1",
        "T=1 W=2 M=3",
        "tally2 T=1 W=2 M=3",
        "Tally1 T=1 W=2 M=3",
        "tally1T=1 W=2 M=3",
        "tally1 T=1 W=2",
        "tally1 W=2 M=3 X=4",
        "tally1 T=1 T=1 W=2 M=3",
        "tally1 T=-1 W=2 M=3",
        "tally1 T= W=2 M=3",
        "tally1 T=1.5 W=2 M=3",
        "tally1 T=0x10 W=2 M=3",
        "tally1 T=+1 W=2 M=3",
        "tally1 T=9223372036854775808 W=2 M=3",
        "tally1 T=12345678901234567890 W=2 M=3",
        "tally1 T=1 W=2 M=3 =4",
        "tally1 T=1 W=2 M=3 junk",
        "tally1,T=1,W=2,M=3",
        "tally1 t=1 w=2 m=3"
    })
    void rejectsAnythingElse(final String text)
    {
        assertThat(CommitMetadata.parse(text)).as("'%s'", text).isEqualTo(Optional.empty());
    }
}
