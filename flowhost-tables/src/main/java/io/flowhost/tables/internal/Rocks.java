package io.flowhost.tables.internal;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * How flowhost uses RocksDB: one block cache for every open version's data blocks (so that memory is bounded however
 * many tables there are), and a Bloom filter per file (so that a miss rarely reads a block).
 */
public final class Rocks implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final Cache cache;

    /** @param cacheBytes the block cache shared by every open version */
    public Rocks(long cacheBytes) {
        this.cache = new LRUCache(cacheBytes);
    }

    /** Options for building a version: bulk loading (no compaction until it is finished), no write-ahead log. */
    Options forBuilding() {
        var options = new Options().setCreateIfMissing(true).setErrorIfExists(true);
        options.prepareForBulkLoad();
        // Bulk loading allows six 64 MiB memtables by default: 384 MiB of native memory while a large table loads.
        options.setWriteBufferSize(32L * 1024 * 1024).setMaxWriteBufferNumber(3);
        options.setTableFormatConfig(tableFormat());
        return options;
    }

    /** Options for reading a finished version. */
    Options forReading() {
        var options = new Options().setCreateIfMissing(false);
        options.setTableFormatConfig(tableFormat());
        options.setMaxOpenFiles(256);
        return options;
    }

    private BlockBasedTableConfig tableFormat() {
        // Index and filter blocks stay with their open files (native memory, about 2.5 MB per million keys), not
        // in the cache: a million-key file's are megabytes each, and evicted by data blocks they would be read
        // again for every lookup (measured: a seventh of the throughput).
        return new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10))
                .setCacheIndexAndFilterBlocks(false);
    }

    @Override
    public void close() {
        cache.close();
    }
}
