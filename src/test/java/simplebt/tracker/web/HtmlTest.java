package simplebt.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one escaping helper: text can never become markup. */
class HtmlTest {
    @Test
    void escapesTheFiveCharactersThatEndTextOrAnAttribute() {
        assertThat(Html.escape("<a href=\"x\" title='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("plain ünïcode ✓")).isEqualTo("plain ünïcode ✓");
    }

    @Test
    void fillEscapesTextButKeepsHtml() {
        Html filled = Html.fill("<p title=\"{{t}}\">{{body}}</p>{{frag}}",
                Map.of("t", "\"><script>", "body", 42, "frag", Html.text("<b>")));
        assertThat(filled.markup()).isEqualTo("<p title=\"&quot;&gt;&lt;script&gt;\">42</p>&lt;b&gt;");
    }

    @Test
    void aValueThatLooksLikeAHoleIsNotFilledAgain() {
        assertThat(Html.fill("{{a}}", Map.of("a", "{{b}} $1 \\")).markup()).isEqualTo("{{b}} $1 \\");
    }

    @Test
    void aHoleWithoutAValueIsABug() {
        assertThatThrownBy(() -> Html.fill("<p>{{missing}}</p>", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing");
    }
}
