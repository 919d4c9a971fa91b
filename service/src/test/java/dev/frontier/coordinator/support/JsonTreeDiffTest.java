package dev.frontier.coordinator.support;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The differ ContractTest relies on: it must see the drifts the served spec once had, and nothing else. */
class JsonTreeDiffTest {

    private static JsonNode json(String text) {
        return Api.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void equalByMeaningIsNoDifference() {
        JsonNode a = json("{'type':'object','required':['a','b'],'properties':{'a':{'minimum':1},'b':{'enum':['x','y']}}}");
        JsonNode b = json("{'properties':{'b':{'enum':['x','y']},'a':{'minimum':1.0}},'required':['b','a'],'type':'object'}");
        assertThat(JsonTreeDiff.between(a, b)).isEmpty();
    }

    @Test
    void namesWhatIsMissingAddedOrChanged() {
        JsonNode contract = json("{'paths':{'/api/v1/jobs':{'post':{}}},'components':{'schemas':{'Rates':{'type':'array',"
                + "'maxItems':8,'items':{'type':'number','exclusiveMinimum':true,'minimum':0}},'Job':{'required':['id']}}}}");
        JsonNode served = json("{'paths':{'/api/v1/jobs':{'post':{},'get':{}}},'components':{'schemas':{'Rates':{'type':'array',"
                + "'items':{'type':'number','minimum':0,'nullable':true}},'Job':{'required':['id','state']}}}}");
        assertThat(JsonTreeDiff.between(contract, served)).containsExactlyInAnyOrder(
                "paths.\"/api/v1/jobs\".get: only in actual ({})",
                "components.schemas.Rates.maxItems: only in expected (8)",
                "components.schemas.Rates.items.exclusiveMinimum: only in expected (true)",
                "components.schemas.Rates.items.nullable: only in actual (true)",
                "components.schemas.Job.required: \"state\" only in actual");
    }

    @Test
    void ordinaryArraysKeepTheirOrder() {
        assertThat(JsonTreeDiff.between(json("{'enum':['a','b']}"), json("{'enum':['b','a']}")))
                .containsExactly("enum[0]: expected \"a\", actual \"b\"", "enum[1]: expected \"b\", actual \"a\"");
    }
}
