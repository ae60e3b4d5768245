package dev.wasmbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ClientJsonTest {
    private static final String ANSWER = """
            {"id":"0123456789ab","state":"running","exitCode":null,"samplesDelivered":12345678901,\
            "cpuSeconds":0.25,"args":["-v","x"],"ready":true,"startup":{"attached":1.5,"steps":[]}}""";

    private static Object parse(String json) {
        return ClientJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnswersIntoPlainValuesInTheirOrder() {
        Map<String, Object> answer = ClientJson.object(parse(ANSWER), "the answer");
        assertEquals(
                List.of("id", "state", "exitCode", "samplesDelivered", "cpuSeconds", "args", "ready", "startup"),
                List.copyOf(answer.keySet()));
        assertEquals("running", ClientJson.string(answer, "state"));
        assertEquals(null, answer.get("exitCode"));
        assertEquals(12345678901L, ClientJson.number(answer, "samplesDelivered").longValue());
        assertEquals(0.25, ClientJson.number(answer, "cpuSeconds").doubleValue());
        assertEquals(List.of("-v", "x"), answer.get("args"));
        assertEquals(Boolean.TRUE, answer.get("ready"));
        assertEquals(Map.of("attached", 1.5, "steps", List.of()), answer.get("startup"));
    }

    @Test
    void writesWhatDatabindWrote() {
        // inspect printed databind's pretty form and run -d sent databind's compact one: the same text now.
        Object answer = parse(ANSWER);
        JsonMapper databind = JsonMapper.builder().build();
        assertEquals(
                databind.writerWithDefaultPrettyPrinter().writeValueAsString(databind.readTree(ANSWER)),
                ClientJson.writePretty(answer));
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("source", "bootstrap");
        create.put("args", List.of("-d", "5"));
        create.put("env", Map.of());
        create.put("maxMemory", 1L << 33);
        assertEquals(databind.writeValueAsString(create), ClientJson.write(create));
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        for (String bad : Arrays.asList("", "{\"id\":", "{\"id\":1} {}", "[1,]", "nul")) {
            assertThrows(ClientJson.BadAnswer.class, () -> parse(bad), bad);
        }
    }

    @Test
    void namesTheFieldAnAnswerLacks() {
        Map<String, Object> answer = ClientJson.object(parse("{\"id\":7}"), "the answer");
        ClientJson.BadAnswer e = assertThrows(ClientJson.BadAnswer.class, () -> ClientJson.string(answer, "id"));
        assertEquals("the daemon's answer has no string field id", e.getMessage());
        assertThrows(ClientJson.BadAnswer.class, () -> ClientJson.object(parse("[]"), "a module"));
    }
}
