package dev.configstore.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void everyCharacterThatEndsATextOrAnAttributeIsEscaped() {
        assertThat(Html.escape("<script>alert('x') & \"y\"</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
        assertThat(Html.escape("plain text, ünïcode")).isEqualTo("plain text, ünïcode");
        assertThat(Html.escape("")).isEmpty();
    }
}
