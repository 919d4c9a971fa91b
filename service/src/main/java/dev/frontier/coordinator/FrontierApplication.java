package dev.frontier.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FrontierApplication {
    public static void main(String[] args) {
        SpringApplication.run(FrontierApplication.class, args);
    }
}
