package dev.bifrost.capture.status;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Asks Kafka for its cluster in the background; health reads the last answer. */
@Component
class KafkaProbe implements DisposableBean {

    private final Admin admin;
    private volatile @Nullable String error = "not asked yet";
    private volatile int brokers;

    KafkaProbe(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        this.admin = Admin.create(config);
    }

    @Scheduled(fixedDelayString = "${bifrost.capture.status-refresh:2s}")
    void probe() {
        try {
            brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            error = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            error = "Kafka does not answer: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
    }

    @Nullable String error() {
        return error;
    }

    int brokers() {
        return brokers;
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
