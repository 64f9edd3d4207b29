package io.github.orchestratorqueueroutes.state;

import java.nio.charset.StandardCharsets;

import org.apache.curator.framework.CuratorFramework;

/** A znode, for a cluster elected through ZooKeeper: whichever instance leads reads the same state. */
public class ZooKeeperStateStore implements StateStore {

    private final CuratorFramework client;
    private final String path;

    public ZooKeeperStateStore(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    @Override
    public String read() {
        try {
            if (client.checkExists().forPath(path) == null) {
                return null;
            }
            return new String(client.getData().forPath(path), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the state at ZooKeeper " + path
                    + " (cluster.zookeeper.nodes): " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        try {
            if (client.checkExists().forPath(path) == null) {
                client.create().creatingParentsIfNeeded().forPath(path, data);
            } else {
                client.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write the state at ZooKeeper " + path
                    + " (cluster.zookeeper.nodes): " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "ZooKeeper " + path;
    }
}
