package dev.frontier.coordinator.system;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** Bad input is refused as a problem document wherever it is caught: by Jackson or by Tomcat itself. */
@Configuration(proxyBeanMethods = false)
class RobustInputConfig {

    /**
     * Jackson reads a blank string ("", " ", "\u0000") as null for ids and other scalar types, so a
     * garbage {@code deviceId} silently became "no device". Blank is an error, like any other bad id.
     */
    @Bean
    JsonMapperBuilderCustomizer blankIsNotNull() {
        return builder -> builder
                .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false))
                .withCoercionConfig(LogicalType.OtherScalar, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        });
    }
}
